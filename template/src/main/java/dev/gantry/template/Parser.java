package dev.gantry.template;

import dev.gantry.template.Lexer.Kind;
import dev.gantry.template.Lexer.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the parse tree from tokens, following the grammar of Go's text/template/parse: it checks
 * at parse time what Go checks then (functions are defined, variables are in scope, break and
 * continue sit inside a range, pipelines are not empty), so a bad {@code --format} fails before
 * any data is fetched.
 */
final class Parser {
    /**
     * Go stops at 10000 on growable goroutine stacks; a Java thread has 1 MB by default and each
     * level costs several frames in parsing and again in execution. Real formats nest a few levels.
     */
    private static final int MAX_DEPTH = 100;

    /** The main template's nodes and the templates named by {@code define} and {@code block}. */
    record Parsed(List<Node> root, Map<String, List<Node>> defined) {}

    private final String src;
    private final List<Token> tokens;
    private final Set<String> functions;
    private final Map<String, List<Node>> defined = new HashMap<>();
    private List<String> vars = new ArrayList<>(List.of("$"));
    private int index;
    private int rangeDepth;
    /** Nesting of parenthesized pipelines and control structures, bounded as Go bounds it. */
    private int depth;
    /** Set by {@link #action()} when it met {@code {{end}}} or {@code {{else}}} instead of a node. */
    private Kind stop;
    /** Where the keyword of {@link #stop} is. */
    private int stopPos;

    private Parser(String src, Set<String> functions) {
        this.src = src;
        this.tokens = Lexer.lex(src);
        this.functions = functions;
    }

    static Parsed parse(String src, Set<String> functions) {
        Parser parser = new Parser(src, functions);
        List<Node> root = parser.top();
        return new Parsed(root, Map.copyOf(parser.defined));
    }

    private List<Node> top() {
        List<Node> root = new ArrayList<>();
        while (peek().kind() != Kind.EOF) {
            if (peek().kind() == Kind.LEFT) {
                int mark = index;
                next();
                if (nextNonSpace().kind() == Kind.DEFINE) {
                    definition();
                    continue;
                }
                index = mark;
            }
            Node node = textOrAction();
            if (node == null) {
                throw error(stopPos, "unexpected {{" + (stop == Kind.END ? "end" : "else") + "}}");
            }
            root.add(node);
        }
        return root;
    }

    private void definition() {
        String context = "define clause";
        Token nameToken = nextNonSpace();
        String name = templateName(nameToken, context);
        expect(Kind.RIGHT, context);
        List<String> outer = vars;
        vars = new ArrayList<>(List.of("$"));
        List<Node> body = itemList();
        vars = outer;
        if (stop != Kind.END) {
            throw error(stopPos, "unexpected {{else}} in " + context);
        }
        define(nameToken, name, body);
    }

    private void define(Token at, String name, List<Node> body) {
        List<Node> old = defined.get(name);
        if (old != null && !isEmpty(old) && !isEmpty(body)) {
            throw error(at, "multiple definition of template " + Fmt.quote(name));
        }
        if (old == null || isEmpty(old)) {
            defined.put(name, body);
        }
    }

    private static boolean isEmpty(List<Node> nodes) {
        for (Node node : nodes) {
            if (!(node instanceof Node.Text text && text.text().isBlank())) {
                return false;
            }
        }
        return true;
    }

    /** Nodes up to {@code {{end}}} or {@code {{else}}}, which is left in {@link #stop}. */
    private List<Node> itemList() {
        List<Node> nodes = new ArrayList<>();
        while (true) {
            if (peek().kind() == Kind.EOF) {
                throw error(peek(), "unexpected EOF");
            }
            Node node = textOrAction();
            if (node == null) {
                return nodes;
            }
            nodes.add(node);
        }
    }

    private Node textOrAction() {
        Token token = next();
        return switch (token.kind()) {
            case TEXT -> new Node.Text(token.pos(), token.text());
            case LEFT -> action();
            default -> throw unexpected(token, "input");
        };
    }

    private Node action() {
        Token token = nextNonSpace();
        switch (token.kind()) {
            case END -> {
                stopPos = token.pos();
                expect(Kind.RIGHT, "end");
                stop = Kind.END;
                return null;
            }
            case ELSE -> {
                stopPos = token.pos();
                Kind pending = peekNonSpace().kind();
                if (pending != Kind.IF && pending != Kind.WITH) {
                    expect(Kind.RIGHT, "else");
                }
                stop = Kind.ELSE;
                return null;
            }
            case IF -> {
                return control(token, Node.Control.Kind.IF, "if");
            }
            case WITH -> {
                return control(token, Node.Control.Kind.WITH, "with");
            }
            case RANGE -> {
                return control(token, Node.Control.Kind.RANGE, "range");
            }
            case TEMPLATE -> {
                return templateCall(token);
            }
            case BLOCK -> {
                return block(token);
            }
            case BREAK, CONTINUE -> {
                String word = token.text();
                if (rangeDepth == 0) {
                    throw error(token, "{{" + word + "}} outside {{range}}");
                }
                Token after = nextNonSpace();
                if (after.kind() != Kind.RIGHT) {
                    throw unexpected(after, "{{" + word + "}}");
                }
                return new Node.Jump(token.pos(), token.kind() == Kind.BREAK);
            }
            default -> {
                backup();
                return new Node.Action(token.pos(), pipeline("command", Kind.RIGHT));
            }
        }
    }

    private Node control(Token keyword, Node.Control.Kind kind, String context) {
        if (++depth > MAX_DEPTH) {
            throw error(keyword, "max expression depth exceeded");
        }
        try {
            return controlBody(keyword, kind, context);
        } finally {
            depth--;
        }
    }

    private Node controlBody(Token keyword, Node.Control.Kind kind, String context) {
        int scope = vars.size();
        Node.Pipe pipe = pipeline(context, Kind.RIGHT);
        if (kind == Node.Control.Kind.RANGE) {
            rangeDepth++;
        }
        List<Node> body = itemList();
        if (kind == Node.Control.Kind.RANGE) {
            rangeDepth--;
        }
        List<Node> orElse = null;
        if (stop == Kind.ELSE) {
            Token pending = peekNonSpace();
            boolean chained = kind == Node.Control.Kind.IF && pending.kind() == Kind.IF
                    || kind == Node.Control.Kind.WITH && pending.kind() == Kind.WITH;
            if (chained) {
                // {{else if x}} is {{else}}{{if x}}...{{end}}{{end}} with the two ends shared.
                nextNonSpace();
                orElse = List.of(control(pending, kind, context));
            } else if (pending.kind() == Kind.IF || pending.kind() == Kind.WITH) {
                throw unexpected(pending, "input");
            } else {
                orElse = itemList();
                if (stop != Kind.END) {
                    throw error(stopPos, "expected end; found {{else}}");
                }
            }
        }
        vars.subList(scope, vars.size()).clear();
        return new Node.Control(keyword.pos(), kind, pipe, body, orElse);
    }

    private Node templateCall(Token keyword) {
        String context = "template clause";
        String name = templateName(nextNonSpace(), context);
        Node.Pipe pipe = null;
        if (nextNonSpace().kind() != Kind.RIGHT) {
            backup();
            pipe = pipeline(context, Kind.RIGHT);
        }
        return new Node.Call(keyword.pos(), name, pipe);
    }

    private Node block(Token keyword) {
        String context = "block clause";
        Token nameToken = nextNonSpace();
        String name = templateName(nameToken, context);
        Node.Pipe pipe = pipeline(context, Kind.RIGHT);
        // A block's body is its own template: it sees only $, bound to the pipeline's value.
        List<String> outer = vars;
        int outerRange = rangeDepth;
        vars = new ArrayList<>(List.of("$"));
        rangeDepth = 0;
        List<Node> body = itemList();
        vars = outer;
        rangeDepth = outerRange;
        if (stop != Kind.END) {
            throw error(stopPos, "unexpected {{else}} in " + context);
        }
        define(nameToken, name, body);
        return new Node.Call(keyword.pos(), name, pipe);
    }

    private String templateName(Token token, String context) {
        if (token.kind() != Kind.STRING && token.kind() != Kind.RAW_STRING) {
            throw unexpected(token, context);
        }
        return Literals.unquote(src, token);
    }

    private Node.Pipe pipeline(String context, Kind end) {
        Token first = peekNonSpace();
        if (++depth > MAX_DEPTH) {
            throw error(first, "max expression depth exceeded");
        }
        try {
            return pipelineBody(context, end, first);
        } finally {
            depth--;
        }
    }

    private Node.Pipe pipelineBody(String context, Kind end, Token first) {
        boolean isAssign = false;
        List<String> decl = new ArrayList<>();
        while (peekNonSpace().kind() == Kind.VARIABLE) {
            int mark = index;
            Token variable = nextNonSpace();
            Token after = nextNonSpace();
            if (after.kind() == Kind.DECLARE || after.kind() == Kind.ASSIGN) {
                isAssign = after.kind() == Kind.ASSIGN;
                decl.add(variable.text());
                break;
            }
            if (after.kind() == Kind.COMMA) {
                decl.add(variable.text());
                if (!context.equals("range") || decl.size() >= 2) {
                    throw error(after, "too many declarations in " + context);
                }
                Kind following = peekNonSpace().kind();
                if (following != Kind.VARIABLE) {
                    throw error(peekNonSpace(), "range can only initialize variables");
                }
                continue;
            }
            if (!decl.isEmpty()) {
                throw unexpected(after, context);
            }
            index = mark;
            break;
        }
        for (String name : decl) {
            if (isAssign && !vars.contains(name)) {
                throw error(first, "undefined variable " + Fmt.quote(name));
            }
        }
        if (!isAssign) {
            vars.addAll(decl);
        }
        List<Node.Command> cmds = new ArrayList<>();
        while (true) {
            Token token = nextNonSpace();
            if (token.kind() == end) {
                if (cmds.isEmpty()) {
                    throw error(token, "missing value for " + context);
                }
                return new Node.Pipe(first.pos(), isAssign, List.copyOf(decl), List.copyOf(cmds));
            }
            switch (token.kind()) {
                case BOOL, CHAR_CONST, DOT, FIELD, IDENT, NUMBER, NIL, RAW_STRING, STRING, VARIABLE, LEFT_PAREN -> {
                    backup();
                    Node.Command cmd = command();
                    if (!cmds.isEmpty() && isConstant(cmd.args().getFirst())) {
                        throw error(token, "non executable command in pipeline stage " + (cmds.size() + 1));
                    }
                    cmds.add(cmd);
                }
                default -> throw unexpected(token, context);
            }
        }
    }

    private static boolean isConstant(Node.Arg arg) {
        return arg instanceof Node.Literal || arg instanceof Node.Dot || arg instanceof Node.Nil;
    }

    private Node.Command command() {
        Token first = peekNonSpace();
        List<Node.Arg> args = new ArrayList<>();
        while (true) {
            peekNonSpace();
            Node.Arg operand = operand();
            if (operand != null) {
                args.add(operand);
            }
            Token token = next();
            if (token.kind() == Kind.SPACE) {
                continue;
            }
            if (token.kind() == Kind.RIGHT || token.kind() == Kind.RIGHT_PAREN) {
                backup();
            } else if (token.kind() != Kind.PIPE) {
                throw unexpected(token, "operand");
            }
            break;
        }
        return new Node.Command(first.pos(), List.copyOf(args));
    }

    private Node.Arg operand() {
        Node.Arg node = term();
        if (node == null || peek().kind() != Kind.FIELD) {
            return node;
        }
        List<String> names = new ArrayList<>();
        int end = node.pos() + node.src().length();
        while (peek().kind() == Kind.FIELD) {
            Token field = next();
            names.add(field.text().substring(1));
            end = field.pos() + field.text().length();
        }
        String text = src.substring(node.pos(), end);
        if (node instanceof Node.Field f) {
            return new Node.Field(f.pos(), text, concat(f.names(), names));
        }
        if (node instanceof Node.Variable v) {
            return new Node.Variable(v.pos(), text, v.name(), concat(v.names(), names));
        }
        if (node instanceof Node.Literal || node instanceof Node.Dot || node instanceof Node.Nil) {
            throw error(node.pos(), "unexpected . after term " + Fmt.quote(node.src()));
        }
        return new Node.Chain(node.pos(), text, node, List.copyOf(names));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private Node.Arg term() {
        Token token = nextNonSpace();
        int pos = token.pos();
        String text = token.text();
        switch (token.kind()) {
            case IDENT -> {
                if (!functions.contains(text)) {
                    throw error(token, "function " + Fmt.quote(text) + " not defined");
                }
                return new Node.Identifier(pos, text, text);
            }
            case DOT -> {
                return new Node.Dot(pos, text);
            }
            case NIL -> {
                return new Node.Nil(pos, text);
            }
            case VARIABLE -> {
                if (!vars.contains(text)) {
                    throw error(token, "undefined variable " + Fmt.quote(text));
                }
                return new Node.Variable(pos, text, text, List.of());
            }
            case FIELD -> {
                return new Node.Field(pos, text, List.of(text.substring(1)));
            }
            case BOOL -> {
                return new Node.Literal(pos, text, Boolean.valueOf(text));
            }
            case NUMBER, CHAR_CONST -> {
                return new Node.Literal(pos, text, Literals.number(src, token));
            }
            case STRING, RAW_STRING -> {
                return new Node.Literal(pos, text, Literals.unquote(src, token));
            }
            case LEFT_PAREN -> {
                Node.Pipe pipe = pipeline("parenthesized pipeline", Kind.RIGHT_PAREN);
                int end = tokens.get(index - 1).pos() + 1;
                return new Node.Parens(pos, src.substring(pos, end), pipe);
            }
            default -> {
                backup();
                return null;
            }
        }
    }

    private Token next() {
        return token(index++);
    }

    private Token token(int i) {
        Token token = tokens.get(i);
        if (token.kind() == Kind.ERROR) {
            throw error(token.pos(), token.text());
        }
        return token;
    }

    private void backup() {
        index--;
    }

    private Token peek() {
        return token(index);
    }

    private Token nextNonSpace() {
        Token token = next();
        while (token.kind() == Kind.SPACE) {
            token = next();
        }
        return token;
    }

    private Token peekNonSpace() {
        int i = index;
        while (token(i).kind() == Kind.SPACE) {
            i++;
        }
        index = i;
        return token(i);
    }

    private void expect(Kind kind, String context) {
        Token token = nextNonSpace();
        if (token.kind() != kind) {
            throw unexpected(token, context);
        }
    }

    private TemplateException unexpected(Token token, String context) {
        if (token.kind() == Kind.EOF) {
            return error(token, "unexpected EOF");
        }
        return error(token, "unexpected " + token.describe() + " in " + context);
    }

    private TemplateException error(Token token, String message) {
        return error(token.pos(), message);
    }

    private TemplateException error(int pos, String message) {
        return TemplateException.at(src, pos, message);
    }
}
