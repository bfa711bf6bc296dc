// marked: markdown to HTML (an ES module package: "type": "module", exports "." -> default)
import { marked, Marked, Lexer } from "marked";

const doc = `# Title

Some *emphasis*, **strong** text, \`code\` and a [link](https://example.com "t").

## List

- one
- two
  - nested
- three

1. first
2. second

> a quote
> over two lines

\`\`\`js
const x = 1 < 2;
\`\`\`

| a | b |
|---|:-:|
| 1 | 2 |
| 3 | 4 |

Line with <span>html</span> & entities &amp; ~~strike~~.

---

![img](/i.png)
`;

console.log(marked.parse(doc));
console.log(marked.parseInline("**bold** and _it_"));
const tokens = marked.lexer("# h\n\npara\n\n- a\n- b\n");
console.log(tokens.map((t) => t.type).join(","), tokens.links !== undefined);
console.log(new Lexer().lex("text").length);

const custom = new Marked({
  renderer: {
    heading({ tokens, depth }) {
      return `<h${depth} class="x">${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
  },
});
console.log(custom.parse("## Hi *there*"));
console.log(marked.parse("autolink https://example.org and a\nline break", { gfm: true, breaks: true }));
