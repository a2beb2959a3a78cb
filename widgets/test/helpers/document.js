// A varied markdown document for the streaming tests: everything the tail-only renderer must survive.
const longCode = Array.from(
  { length: 130 },
  (_, i) => `    result_${i} = compute(${i}, "value ${i}")  # step ${i}\n    if result_${i}:\n        total += ${i}`,
).join("\n");

export const DOCUMENT = `# Streaming report

An intro paragraph with \`inline code\`, **bold**, _emphasis_ and a [link](https://example.com/a?b=c&d=e).
It continues on a second line with an autolink <https://example.org> and a bare URL https://example.net/x.

## Lists

- tight item one
- tight item two with \`code\`
  - nested item
- tight item three

1. loose item one

2. loose item two

   continuation paragraph of item two

3. Install it:
   \`\`\`bash
   pip install axio

   axio --version
   \`\`\`

## Table

| name | value | note |
|:-----|------:|:----:|
| alpha | 1 | first |
| beta | 22 | *second* |
| gamma | 333 | \`third\` |

## Code

Here is Python:
\`\`\`python
def main():
${longCode}

    return total
\`\`\`
And JavaScript:

\`\`\`js
const x = { a: 1, b: "two" };

console.log(x);
\`\`\`

~~~unknown-lang
plain <text> & "quotes"
~~~

\`\`\`
no language
\`\`\`

> A quote with a [reference link][ref] and more text.
>
> Second quote paragraph.

    indented code block

    with a blank line inside

## Loose lists

- first item
- second item, tight so far

- third item makes the whole list loose,
  with a continuation line

  and a continuation paragraph that uses [a label defined later][later].

      indented code inside the item

- \`\`\`sh
  echo one

  echo two
  \`\`\`
- last bullet, then a star list: another list
* star one

* star two

1) paren one


2) paren two after two blank lines
3. a dot list starts anew

Text after the lists, with a shortcut reference: [Later].

Final paragraph with a reference [docs][ref] and an email <mailto:someone@example.com>.

[ref]: https://example.com/reference "Reference title"
[later]: https://example.com/later
`;

/**
 * Short documents around what a blank line does and does not end, each streamed char by char in the tests:
 * the streamed DOM must equal a one-shot render of the same prefix at every step.
 */
export const EDGE_DOCUMENTS = [
  "- a\n- b\n\n- c\n- d\n\nend\n\n",
  "1. one\n\n   continuation\n\n2. two\n\n\n3. three after two blank lines\n\nafter\n",
  "- a\n\n * b\n\n- c\n\ntext\n",
  "    code\n\n    more code\n\npara\n\n    new code\n\n  not code\n",
  "> quote\n\n> another quote\n\n> - a\n>\n> - b\n\n- after\n",
  "1. a\n   ```\n   x\n```\nafter\n\nmore\n```\ntail\n\nend\n",
  "- ```\n  a\n\n  b\n  ```\n\n- c\n\nend\n",
  "para\n- a\n\n- b\n# head\n- c\n\n- d\n\n1. one\n\n1) other\n",
  "-   wide gap item\n\n    continuation\n\n- b\n\n      code in b\n\nend\n",
  "* * *\n\n- a\n\n- - -\n\nend\n",
  "-\ttab item\n\n\tcontinued\n\nend\n",
  "10. ten\n\n    cont\n11. eleven\n\n   not cont\n",
  "- a\n  - b\n\n  - c\n\n    deep\n- d\n\nend\n",
  "- a\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n- b\n",
  "- a\nlazy line\n\n- b\n\n> q\n- c\n\n- d\n",
  "1. step\n\n   ```py\n   x = 1\n\n   y = 2\n   ```\n\n2. next\n\n```\ntop\n```\n- e\n\n- f\n",
  "-\n  empty first line\n\n- b\n\nend\n",
  "    ```\n    not a fence\n\npara\n\n- a\n\n      ```\n      code in a\n\n      ```\n\nend\n",
];

/** An answer with math of every form, for the streaming tests with and without KaTeX. */
export const MATH_DOCUMENT = `# Math

Inline $E = mc^2$, with subscripts $x_1 * y_2$ and \\(a_{ij} * b_{jk}\\), next to *emphasis* and prices
of $5 and $10 that stay text.

$$
\\begin{aligned}
f(x) &= \\sum_{i=0}^{n} a_i x^i

g(x) &= \\int_0^x f(t)\\,dt
\\end{aligned}
$$

- an item with $\\alpha_1$
- a display inside a list: $$\\sqrt{x_1^2 + x_2^2}$$

\\[
\\frac{\\partial L}{\\partial w_{ij}} = \\delta_j * o_i
\\]

| symbol | meaning |
|---|---|
| $\\mu_0$ | mean |

\`\`\`python
cost = "$5 and $10"  # not math
\`\`\`

1. step one: $n_1$

2. step two:

   $$
   n_2 = n_1 + 1
   $$

The end, $\\hat{y}$.
`;

/** Short documents where math meets blank lines, lists, fences and quotes, streamed char by char. */
export const MATH_EDGE_DOCUMENTS = [
  "a $x_1$ b\n\n$$\nx\n\ny\n$$\n\nafter *em* $z$\n",
  "- a\n\n$$\nx_1\n\n\ny_2\n$$\n- b\n",
  "- a\n$$\nx\n\ny\n$$\n\nend\n",
  "para\n\\[\nm\n\nn\n\\]\n> $q_1$\n\n> \\(r\\)\n",
  "    $$\n    code\n\n$$x$$\n\n$$ open\n\nnever closed\n",
  "```\n$$\n```\n\n$$\na\n\n```\nb\n$$\n\n~~~\n$c$\n~~~\n",
  "1. one\n\n   $$\n   x\n\n   y\n   $$\n\n2. two $5 and $10\n",
  "$$a$$ b $$\n\nc$$\n\n$$x$$y$$\n",
  "- a\n$$\n  x\n\n  y\n  $$\n\nend\n",
  "> a\n$$\nx\n\ny\n$$\n\n- b\n$$\nc\n$$\n",
  "1. a\n\n$$\nx\n\n    y\n$$\n2. b\n",
];
