"""The flags of every `%axio` command (IPython's magic_arguments) and the text `%axio?` prints."""

from __future__ import annotations

from IPython.core.magic_arguments import argument, magic_arguments

from ..run.sessions import DEFAULT_SESSION


@magic_arguments()
@argument(
    "--transport",
    "-t",
    metavar="NAME",
    help="transport by name (see `%%axio transports`); default: `%%axio use`, $AXIO_NB_TRANSPORT, "
    "the first with a key, else demo",
)
@argument("--model", "-m", metavar="ID", help="model id, e.g. gpt-4.1-mini")
@argument("--system", "-s", metavar="TEXT", help="system prompt (quote it)")
@argument("--agent", metavar="VAR", help="an axio Agent in the namespace: its system, tools and transport")
@argument("--tools", metavar="VAR[,VAR…]", help="axio Tools or `async def` functions from the namespace")
@argument(
    "--session",
    metavar="NAME",
    default=DEFAULT_SESSION,
    help="conversation memory across cells (default: one per kernel)",
)
@argument("--new", action="store_true", help="start the session's history afresh")
@argument("--out", "-o", metavar="VAR", help="store a ChatResult (text, stop_reason, usage, blocks) in VAR")
@argument("--background", "-b", action="store_true", help="return at once; turns of one session still run in order")
@argument(
    "--no-interpolate", action="store_true", help="send `{…}` literally instead of filling it from the namespace"
)
@argument("--max-tokens", type=int, metavar="N", help="output token limit for this turn")
@argument("--temperature", type=float, metavar="F", help="sampling temperature (where the transport takes one)")
@argument(
    "--display", choices=["live", "static"], help="live widget (default) or one static output ($AXIO_NB_DISPLAY)"
)
def chat_args(_: str) -> None:
    """%%axio chat [flags]: stream one agent turn; the cell body is the prompt."""


@magic_arguments()
@argument("--transport", "-t", metavar="NAME", help="transport by name (see `%%axio transports`)")
@argument("--model", "-m", metavar="ID", help="model id for this call")
@argument(
    "-n", type=int, default=1, metavar="N", help="how many samples (1-10), made concurrently, shown as they arrive"
)
@argument("--size", metavar="WxH", help="image size, e.g. 1024x1024 (where the transport takes one)")
@argument(
    "--image",
    metavar="SRC[,SRC…]",
    help="edit/video: source image: a path, a variable (bytes, Pillow image), or an earlier --out item like cats[0]",
)
@argument("--mask", metavar="SRC", help="edit: mask of the image's size (same forms as --image)")
@argument("--duration", type=int, metavar="S", help="video: length in seconds")
@argument("--aspect", metavar="W:H", help="video: aspect ratio, e.g. 16:9")
@argument("--out", "-o", metavar="VAR", help="store a MediaResult in VAR: VAR[0].data, VAR.images (Pillow), VAR.paths")
@argument("--save", metavar="DIR", help="also write each sample to DIR, named from the prompt (never overwrites)")
@argument(
    "--no-interpolate", action="store_true", help="send `{…}` literally instead of filling it from the namespace"
)
@argument(
    "--display", choices=["live", "static"], help="live widget (default) or one static output ($AXIO_NB_DISPLAY)"
)
def media_args(_: str) -> None:
    """%%axio image|edit|video|audio [flags]: generate media; the cell body is the prompt."""


@magic_arguments()
@argument("--transport", "-t", metavar="NAME", help="transport by name (one with `embed`: see `%%axio transports`)")
@argument("--model", "-m", metavar="ID", help="embedding model, e.g. text-embedding-3-small (else the default)")
@argument("--texts", metavar="VAR", help="embed this list of strings from the namespace instead of the cell's lines")
@argument("--out", "-o", metavar="VAR", help="store an EmbedResult in VAR: .vectors, .array (numpy), .similarity")
def embed_args(_: str) -> None:
    """%%axio embed [flags]: one text per line; shows the cosine similarity of every pair."""


@magic_arguments()
@argument("--transport", "-t", metavar="NAME", help="a transport that speaks (the tts column of `%%axio transports`)")
@argument("--model", "-m", metavar="ID", help="speech model, e.g. gpt-4o-mini-tts")
@argument("--voice", metavar="NAME", help="voice, e.g. coral")
@argument(
    "--format",
    default="pcm",
    choices=["pcm", "wav", "mp3", "opus", "aac", "flac"],
    help="what the transport streams (default pcm: plays as it arrives)",
)
@argument("--speed", type=float, metavar="F", help="speaking speed, where the transport takes one (0.25-4)")
@argument("--out", "-o", metavar="VAR", help="store a MediaResult in VAR: VAR[0].data, VAR[0].media_type")
@argument(
    "--no-interpolate", action="store_true", help="send `{…}` literally instead of filling it from the namespace"
)
@argument(
    "--display", choices=["live", "static"], help="live widget (default) or one static output ($AXIO_NB_DISPLAY)"
)
def tts_args(_: str) -> None:
    """%%axio tts [flags]: speak the cell's text; playback starts while it streams."""


@magic_arguments()
@argument(
    "source",
    nargs="?",
    help="a path, or a variable holding bytes, a numpy array of samples or a media item; none: record in the browser",
)
@argument("--transport", "-t", metavar="NAME", help="one that transcribes (the stt column of `%%axio transports`)")
@argument("--model", "-m", metavar="ID", help="transcription model, e.g. gpt-4o-mini-transcribe")
@argument("--language", metavar="CODE", help="the audio's language, e.g. en (where the transport takes one)")
@argument(
    "--rate", type=int, default=16000, metavar="HZ", help="sample rate of raw PCM or a numpy array; of a recording"
)
@argument("--max-seconds", type=float, default=60.0, metavar="S", help="a recording stops by itself after S seconds")
@argument(
    "--no-processing",
    action="store_true",
    help="record without the browser's echo cancellation, noise suppression and automatic gain",
)
@argument("--out", "-o", metavar="VAR", help="store the transcript (a str) in VAR")
def stt_args(_: str) -> None:
    """%axio stt SOURCE [flags]: transcribe audio to text."""


@magic_arguments()
@argument("--transport", "-t", metavar="NAME", help="one that speaks realtime voice (default: demo)")
@argument("--voice", metavar="NAME", help="the assistant's voice, where the transport has several")
@argument("--system", "-s", metavar="TEXT", default="", help="system prompt (instructions)")
@argument("--tools", metavar="VAR[,VAR…]", help="axio Tools or `async def` functions the assistant may call")
@argument(
    "--push-to-talk",
    action="store_true",
    help="server VAD off: audio goes only while Push to talk (or the space bar) is held; release commits the turn",
)
@argument("--keep-audio", action="store_true", help="keep each answer's voice in the transcript and its snapshot")
@argument(
    "--out",
    "-o",
    metavar="VAR",
    help="store the session in VAR: .send_text(), .mute(), .unmute(), .end(), await .wait(), .transcript, .stats",
)
def realtime_args(_: str) -> None:
    """%axio realtime [flags]: a voice conversation through the browser's microphone, in the background."""


@magic_arguments()
@argument("name", help="transport name")
@argument("--model", "-m", metavar="ID", help="default model for it")
@argument("settings", nargs="*", metavar="KEY=VALUE", help="constructor settings, e.g. base_url=… or (demo) pace=4000")
def use_args(_: str) -> None:
    """%axio use NAME [--model ID] [KEY=VALUE …]: the default transport (and its settings) for later turns."""


@magic_arguments()
@argument("session", nargs="?", default=DEFAULT_SESSION, help="session name")
def session_args(_: str) -> None:
    """%axio history [SESSION] | %axio reset [SESSION]."""


HELP_HEAD = """Stream axio agents live in notebook cells.

%%axio chat [flags]
PROMPT …                      stream one turn; `{name}` is filled from the namespace ({{ and }} stay literal)

%%axio image [-n N] [--size WxH] [--save DIR] [--out VAR]
PROMPT …                      generate images, shown as each arrives (also: edit, video, audio; flags below)
%%axio tts [--voice NAME] [--format pcm|mp3|…] [--out VAR]
TEXT …                        speak the text: playback starts while it streams, a player keeps the whole clip
%axio stt [SOURCE] [--out VAR]
                              transcribe a file, bytes or a numpy array; with no SOURCE, record in the browser
%axio realtime [--transport NAME] [--voice V] [--system TEXT] [--tools VAR,…] [--out VAR]
               [--push-to-talk] [--keep-audio]
                              talk with the assistant through the microphone (or type); returns at once, End closes it
%%axio embed [--model ID] [--out VAR]
TEXT / TEXT …                 embed one text per line; shows the cosine similarity of every pair

%axio transports              installed transports: credentials present or not, the protocols each speaks
                              (chat, image, edit, video, audio, tts, stt, embed, voice = realtime), default model
%axio use NAME [--model ID] [KEY=VALUE …]
                              default transport (and model, and settings such as base_url=…) for later turns
%axio sessions                named conversations and their number of turns
%axio history [SESSION]       the messages of a session
%axio reset [SESSION]         clear a session's history

Flags of `%%axio chat`:
"""


# argparse names a command after the function magic_arguments decorated; name them as users type them.
for _func, _prog in (
    (chat_args, "%axio chat"),
    (media_args, "%axio image|edit|video|audio"),
    (embed_args, "%axio embed"),
    (tts_args, "%axio tts"),
    (stt_args, "%axio stt"),
    (realtime_args, "%axio realtime"),
    (use_args, "axio use"),
    (session_args, "axio history|reset"),
):
    _func.parser.prog = _prog
HELP = (
    HELP_HEAD
    + chat_args.parser.format_help().replace("::\n\n", "", 1)
    + "\nFlags of `%%axio image`, `edit`, `video` and `audio`:\n"
    + media_args.parser.format_help().replace("::\n\n", "", 1)
    + "\nFlags of `%%axio tts`:\n"
    + tts_args.parser.format_help().replace("::\n\n", "", 1)
    + "\nFlags of `%axio stt`:\n"
    + stt_args.parser.format_help().replace("::\n\n", "", 1)
    + "\nFlags of `%axio realtime`:\n"
    + realtime_args.parser.format_help().replace("::\n\n", "", 1)
    + "\nFlags of `%%axio embed`:\n"
    + embed_args.parser.format_help().replace("::\n\n", "", 1)
)
