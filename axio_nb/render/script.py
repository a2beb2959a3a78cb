"""The snapshot's script: fixed parts, each included only when the snapshot holds what it acts on.

Never built from model output: every part is a constant, and which parts go in depends only on tags and
classes the renderers wrote (model text is escaped, so it cannot add a tag). It runs where the output is
trusted (JupyterLab, Notebook 7 and VS Code for notebooks the user ran or saved, nbconvert HTML);
elsewhere (GitHub, untrusted notebooks) it is dropped, and the snapshot keeps MathJax and no buttons.
A snapshot that needs none of the parts has no script (a media turn of videos only).
"""

from __future__ import annotations

from typing import Final

#: Finds the snapshot's root (the element before the script) and stops if it is not one.
_HEAD: Final = (
    "<script>(function(){var s=document.currentScript,r=s&&s.previousElementSibling;"
    "if(!r||!r.classList.contains('axio-nb-snapshot'))return;"
)
_TAIL: Final = "})()</script>"

#: (what the snapshot must hold, the part). In this order: the copy part may return early.
_PARTS: Final = (
    # Math: when the page holds KaTeX (a live view typeset math in it), the formulas are typeset from the
    # live view's cache and taken from MathJax, which would otherwise typeset them all again in one long
    # task when the turn ends (widgets/src/lib/math.js, `typesetSnapshot`).
    (
        ("mathjax_process",),
        "var m=window[Symbol.for('axio_nb.typesetSnapshot')];if(typeof m==='function')try{m(r)}catch(e){}",
    ),
    # The reader's place: the live view noted what the reader looked at (the end, or a block and where it
    # was); in the next frame the notebook scrolls so it is there again (widgets/src/lib/place.js).
    (
        ("axio-nb-text",),
        "var k=window[Symbol.for('axio_nb.keepPlace')];if(typeof k==='function')try{k(r)}catch(e){}",
    ),
    # A click on an image of a media turn's grid shows it at full size, another puts it back.
    (
        ("axio-nb-image",),
        "r.querySelectorAll('.axio-nb-image img').forEach(function(i){"
        "i.onclick=function(){i.parentElement.classList.toggle('axio-nb-media-full')}});",
    ),
    # Speech the live view was still playing when this replaced it (widgets/src/lib/speech.js, SPEAKING):
    # a "Stop speaking" button stops it; playing the snapshot's own player stops it too.
    (
        ("<audio",),
        "var p=window[Symbol.for('axio_nb.speaking')],a=r.querySelector('audio');"
        "if(p&&p.size&&a){var q=document.createElement('button'),"
        "h=function(){p.forEach(function(x){x.stop()});q.remove()};"
        "q.type='button';q.className='axio-nb-stop-speaking';q.textContent='Stop speaking';q.onclick=h;"
        "a.addEventListener('play',h,{once:true});a.parentElement.insertBefore(q,a);"
        "Promise.all(Array.from(p).map(function(x){return x.done})).then(function(){q.remove()})}",
    ),
    # Copy buttons on code blocks: they read `textContent` and write the clipboard.
    (
        ("<pre", "<code"),
        "if(!navigator.clipboard)return;"
        "r.querySelectorAll('pre>code').forEach(function(c){var b=document.createElement('button');"
        "b.type='button';b.className='axio-nb-copy';b.textContent='Copy';b.setAttribute('aria-label','Copy code');"
        "b.onclick=function(){navigator.clipboard.writeText(c.textContent).then(function(){b.textContent='Copied';"
        "setTimeout(function(){b.textContent='Copy'},1500)})};c.parentElement.appendChild(b)})",
    ),
)

#: Every part: what a snapshot holding everything carries.
FULL_SCRIPT: Final = _HEAD + "".join(part for _needs, part in _PARTS) + _TAIL


def snapshot_script(body: str) -> str:
    """The script for a snapshot whose HTML (without the script) is `body`: only the parts it needs, or ""."""
    parts = [part for needs, part in _PARTS if all(n in body for n in needs)]
    return _HEAD + "".join(parts) + _TAIL if parts else ""
