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

Final paragraph with a reference [docs][ref] and an email <mailto:someone@example.com>.

[ref]: https://example.com/reference "Reference title"
`;
