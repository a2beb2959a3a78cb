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
