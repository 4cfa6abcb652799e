package dev.gantry.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One execution of a parsed template against data, after Go's text/template exec: dot, the
 * variable stack ({@code $} is the data), pipelines whose previous value becomes the last argument
 * of the next command, and Go's rules for missing map keys ({@code <no value>}).
 */
final class Exec {
    /** Go's invalid reflect.Value: what a missing map key yields; prints as {@code <no value>}. */
    static final Object NO_VALUE = new Object();

    /** Go's limit on nested {@code {{template}}} calls (100000), lowered to stay clear of a 1 MB Java stack. */
    private static final int MAX_DEPTH = 200;

    private enum Flow { NEXT, BREAK, CONTINUE }

    private final String src;
    private final Map<String, List<Node>> defined;
    private final Map<String, TemplateFunction> extra;
    private final StringBuilder out = new StringBuilder();
    private List<String> varNames = new ArrayList<>();
    private List<Object> varValues = new ArrayList<>();
    private int depth;

    Exec(String src, Map<String, List<Node>> defined, Map<String, TemplateFunction> extra) {
        this.src = src;
        this.defined = defined;
        this.extra = extra;
    }

    String run(List<Node> root, Object data) {
        push("$", data);
        walk(data, root);
        return out.toString();
    }

    private Flow walk(Object dot, List<Node> nodes) {
        for (Node node : nodes) {
            Flow flow = walk(dot, node);
            if (flow != Flow.NEXT) {
                return flow;
            }
        }
        return Flow.NEXT;
    }

    // The dispatches below are instanceof chains, not pattern switches: a type switch costs a
    // generated class at its first run, which a command line pays on every start.
    private Flow walk(Object dot, Node node) {
        if (node instanceof Node.Text text) {
            out.append(text.text());
        } else if (node instanceof Node.Action action) {
            Object value = pipeline(dot, action.pipe());
            if (action.pipe().decl().isEmpty()) {
                out.append(value == NO_VALUE ? "<no value>" : Fmt.value(value));
            }
        } else if (node instanceof Node.Control control) {
            int mark = varNames.size();
            try {
                return control.kind() == Node.Control.Kind.RANGE ? range(dot, control) : ifOrWith(dot, control);
            } finally {
                pop(mark);
            }
        } else if (node instanceof Node.Call call) {
            call(dot, call);
        } else if (node instanceof Node.Jump jump) {
            return jump.isBreak() ? Flow.BREAK : Flow.CONTINUE;
        }
        return Flow.NEXT;
    }

    private Flow ifOrWith(Object dot, Node.Control control) {
        Object value = pipeline(dot, control.pipe());
        if (Builtins.isTrue(value)) {
            return walk(control.kind() == Node.Control.Kind.WITH ? value : dot, control.body());
        }
        return control.orElse() == null ? Flow.NEXT : walk(dot, control.orElse());
    }

    private Flow range(Object dot, Node.Control control) {
        Node.Pipe pipe = control.pipe();
        Object value = pipeline(dot, pipe);
        boolean ran = false;
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : Fmt.sortedEntries(map)) {
                ran = true;
                if (iteration(pipe, control.body(), e.getKey(), e.getValue()) == Flow.BREAK) {
                    break;
                }
            }
        } else if (value instanceof Number n && Fmt.isInteger(n)) {
            if (pipe.decl().size() > 1) {
                throw error(pipe.pos(), pipeSrc(pipe), "can't use " + n + " to iterate over more than one variable");
            }
            for (long i = 0; i < n.longValue(); i++) {
                ran = true;
                if (iteration(pipe, control.body(), i, i) == Flow.BREAK) {
                    break;
                }
            }
        } else if (value instanceof List<?> || (value != null && value.getClass().isArray())) {
            List<?> list = value instanceof List<?> l ? l : Fmt.arrayToList(value);
            for (int i = 0; i < list.size(); i++) {
                ran = true;
                if (iteration(pipe, control.body(), (long) i, list.get(i)) == Flow.BREAK) {
                    break;
                }
            }
        } else if (value != null && value != NO_VALUE) {
            // Null (and a missing value) is what Go sees as a nil slice or map: nothing to iterate.
            throw error(pipe.pos(), pipeSrc(pipe), "range can't iterate over " + Fmt.value(value));
        }
        if (!ran && control.orElse() != null) {
            return walk(dot, control.orElse());
        }
        return Flow.NEXT;
    }

    private Flow iteration(Node.Pipe pipe, List<Node> body, Object key, Object element) {
        List<String> decl = pipe.decl();
        if (pipe.isAssign()) {
            if (decl.size() == 1) {
                set(decl.getFirst(), element);
            } else if (decl.size() == 2) {
                set(decl.get(0), key);
                set(decl.get(1), element);
            }
        } else if (decl.size() == 1) {
            varValues.set(varValues.size() - 1, element);
        } else if (decl.size() == 2) {
            varValues.set(varValues.size() - 2, key);
            varValues.set(varValues.size() - 1, element);
        }
        int mark = varNames.size();
        try {
            return walk(element, body);
        } finally {
            pop(mark);
        }
    }

    private void call(Object dot, Node.Call call) {
        List<Node> body = defined.get(call.name());
        if (body == null) {
            throw error(call.pos(), "template " + Fmt.quote(call.name()), "template " + Fmt.quote(call.name()) + " not defined");
        }
        if (depth >= MAX_DEPTH) {
            throw error(call.pos(), "template " + Fmt.quote(call.name()), "exceeded maximum template depth (" + MAX_DEPTH + ")");
        }
        Object value = call.pipe() == null ? NO_VALUE : pipeline(dot, call.pipe());
        // A called template sees no variables of its caller but $, which is its own dot.
        List<String> names = varNames;
        List<Object> values = varValues;
        varNames = new ArrayList<>();
        varValues = new ArrayList<>();
        push("$", value);
        depth++;
        try {
            walk(value, body);
        } finally {
            depth--;
            varNames = names;
            varValues = values;
        }
    }

    private Object pipeline(Object dot, Node.Pipe pipe) {
        Object value = NO_VALUE;
        boolean hasFinal = false;
        for (Node.Command cmd : pipe.cmds()) {
            value = command(dot, cmd, hasFinal, value);
            hasFinal = true;
        }
        for (String name : pipe.decl()) {
            if (pipe.isAssign()) {
                set(name, value);
            } else {
                push(name, value);
            }
        }
        return value;
    }

    private Object command(Object dot, Node.Command cmd, boolean hasFinal, Object finalValue) {
        Node.Arg first = cmd.args().getFirst();
        List<Node.Arg> rest = cmd.args().subList(1, cmd.args().size());
        if (first instanceof Node.Field field) {
            return fieldChain(dot, dot, field, field.names(), rest, hasFinal, finalValue);
        }
        if (first instanceof Node.Chain chain) {
            return fieldChain(dot, arg(dot, chain.node()), chain, chain.names(), rest, hasFinal, finalValue);
        }
        if (first instanceof Node.Identifier ident) {
            return function(dot, ident, cmd, rest, hasFinal, finalValue);
        }
        if (first instanceof Node.Variable variable) {
            return variable(dot, variable, rest, hasFinal, finalValue);
        }
        if (!rest.isEmpty() || hasFinal) {
            throw error(first.pos(), first.src(), "can't give argument to non-function " + first.src());
        }
        if (first instanceof Node.Nil nil) {
            throw error(nil.pos(), nil.src(), "nil is not a command");
        }
        return arg(dot, first);
    }

    /** The value of an operand used as an argument: fields and functions take no arguments here. */
    private Object arg(Object dot, Node.Arg arg) {
        if (arg instanceof Node.Dot) {
            return dot;
        }
        if (arg instanceof Node.Nil) {
            return null;
        }
        if (arg instanceof Node.Literal literal) {
            return literal.value();
        }
        if (arg instanceof Node.Field field) {
            return fieldChain(dot, dot, field, field.names(), List.of(), false, null);
        }
        if (arg instanceof Node.Variable variable) {
            return variable(dot, variable, List.of(), false, null);
        }
        if (arg instanceof Node.Parens parens) {
            return pipeline(dot, parens.pipe());
        }
        if (arg instanceof Node.Chain chain) {
            return fieldChain(dot, arg(dot, chain.node()), chain, chain.names(), List.of(), false, null);
        }
        Node.Identifier ident = (Node.Identifier) arg;
        return function(dot, ident, new Node.Command(ident.pos(), List.of(ident)), List.of(), false, null);
    }

    private Object variable(Object dot, Node.Variable variable, List<Node.Arg> args, boolean hasFinal, Object finalValue) {
        Object value = lookup(variable);
        if (variable.names().isEmpty()) {
            if (!args.isEmpty() || hasFinal) {
                throw error(variable.pos(), variable.src(), "can't give argument to non-function " + variable.src());
            }
            return value;
        }
        return fieldChain(dot, value, variable, variable.names(), args, hasFinal, finalValue);
    }

    private Object fieldChain(Object dot, Object receiver, Node.Arg node, List<String> names, List<Node.Arg> args,
            boolean hasFinal, Object finalValue) {
        Object value = receiver;
        int last = names.size() - 1;
        for (int i = 0; i < last; i++) {
            value = field(dot, names.get(i), node, List.of(), false, null, value);
        }
        return field(dot, names.get(last), node, args, hasFinal, finalValue, value);
    }

    private Object field(Object dot, String name, Node.Arg node, List<Node.Arg> args, boolean hasFinal,
            Object finalValue, Object receiver) {
        if (receiver == NO_VALUE) {
            return NO_VALUE;
        }
        if (receiver instanceof Map<?, ?> map) {
            if (!args.isEmpty() || hasFinal) {
                throw error(node.pos(), node.src(), name + " is not a method but has arguments");
            }
            Object value = map.get(name);
            return value != null || map.containsKey(name) ? value : NO_VALUE;
        }
        if (receiver instanceof TemplateObject object) {
            List<Object> values = new ArrayList<>(args.size() + 1);
            for (Node.Arg a : args) {
                values.add(orNull(arg(dot, a)));
            }
            if (hasFinal) {
                values.add(orNull(finalValue));
            }
            try {
                return object.field(name, values);
            } catch (TemplateException e) {
                throw error(node.pos(), node.src(), e.getMessage());
            } catch (RuntimeException e) {
                throw error(node.pos(), node.src(), "error calling " + name + ": " + e.getMessage());
            }
        }
        if (receiver == null) {
            throw error(node.pos(), node.src(), "nil pointer evaluating interface {}." + name);
        }
        throw error(node.pos(), node.src(), "can't evaluate field " + name + " in type " + Fmt.typeName(receiver));
    }

    private Object function(Object dot, Node.Identifier ident, Node.Command cmd, List<Node.Arg> args,
            boolean hasFinal, Object finalValue) {
        String name = ident.name();
        String where = commandSrc(cmd);
        TemplateFunction user = extra.get(name);
        int count = args.size() + (hasFinal ? 1 : 0);
        if (user == null) {
            String arity = Builtins.checkArity(name, count);
            if (arity != null) {
                throw error(cmd.pos(), where, arity);
            }
            if (name.equals("and") || name.equals("or")) {
                return andOr(dot, name.equals("and"), args, hasFinal, finalValue);
            }
        }
        List<Object> values = new ArrayList<>(count);
        for (Node.Arg a : args) {
            values.add(orNull(arg(dot, a)));
        }
        if (hasFinal) {
            values.add(orNull(finalValue));
        }
        try {
            return user != null ? user.apply(values) : Builtins.call(name, values);
        } catch (TemplateException e) {
            throw error(cmd.pos(), where, e.getMessage());
        } catch (RuntimeException e) {
            throw error(cmd.pos(), where, "error calling " + name + ": " + e.getMessage());
        }
    }

    /** Go's and/or: arguments are evaluated left to right only until the result is known. */
    private Object andOr(Object dot, boolean isAnd, List<Node.Arg> args, boolean hasFinal, Object finalValue) {
        Object value = null;
        int count = args.size() + (hasFinal ? 1 : 0);
        for (int i = 0; i < count; i++) {
            value = i < args.size() ? arg(dot, args.get(i)) : finalValue;
            if (Builtins.isTrue(value) != isAnd) {
                return value;
            }
        }
        return value;
    }

    private Object lookup(Node.Variable variable) {
        for (int i = varNames.size() - 1; i >= 0; i--) {
            if (varNames.get(i).equals(variable.name())) {
                return varValues.get(i);
            }
        }
        throw error(variable.pos(), variable.src(), "undefined variable: " + variable.name());
    }

    private void set(String name, Object value) {
        for (int i = varNames.size() - 1; i >= 0; i--) {
            if (varNames.get(i).equals(name)) {
                varValues.set(i, value);
                return;
            }
        }
        throw new TemplateException("undefined variable: " + name);
    }

    private void push(String name, Object value) {
        varNames.add(name);
        varValues.add(value);
    }

    private void pop(int mark) {
        varNames.subList(mark, varNames.size()).clear();
        varValues.subList(mark, varValues.size()).clear();
    }

    private static Object orNull(Object value) {
        return value == NO_VALUE ? null : value;
    }

    private String commandSrc(Node.Command cmd) {
        Node.Arg last = cmd.args().getLast();
        return src.substring(cmd.args().getFirst().pos(), last.pos() + last.src().length());
    }

    private String pipeSrc(Node.Pipe pipe) {
        Node.Command last = pipe.cmds().getLast();
        Node.Arg arg = last.args().getLast();
        return src.substring(pipe.pos(), arg.pos() + arg.src().length()).strip();
    }

    private TemplateException error(int pos, String where, String message) {
        return TemplateException.at(src, pos, "executing at <" + where + ">: " + message);
    }
}
