using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;

namespace Workbench.Tests.Architecture;

// Which feature slice uses which: a slice is the first namespace segment under a prefix (Workbench.Core.Import.Rows
// belongs to Import). Edges come from the compiled assembly (signatures, base types, and every type, method and field
// token in the IL, so partly qualified names and lambdas count) and from the sources (using directives and fully
// qualified names, which also catch inlined constants). Each edge keeps one example, for the failure message.
internal static partial class SliceGraph
{
    public sealed record Edge(string From, string To, string Example);

    public static IEnumerable<Edge> FromAssembly(Assembly assembly, string prefix, ISet<string> excluded)
    {
        var edges = new Dictionary<(string, string), Edge>();
        foreach (var type in SafeTypes(assembly))
        {
            var from = SliceOf(type.Namespace, prefix, excluded);
            if (from is null) continue;
            foreach (var used in Uses(type))
            {
                var to = SliceOf(used.Namespace, prefix, excluded);
                if (to is null || to == from || used.Assembly != assembly) continue;
                edges.TryAdd((from, to), new Edge(from, to, $"{type.FullName} uses {used.FullName}"));
            }
        }
        return edges.Values;
    }

    public static IEnumerable<Edge> FromSources(IEnumerable<(string Path, string Text)> files, string folder, string prefix, ISet<string> excluded)
    {
        var edges = new Dictionary<(string, string), Edge>();
        foreach (var (path, text) in files)
        {
            var relative = path[folder.Length..];
            var slash = relative.IndexOf('/');
            if (slash < 0) continue;
            var from = relative[..slash];
            if (excluded.Contains(from)) continue;
            foreach (Match m in Reference(prefix).Matches(SourceTree.Code(text)))
            {
                var to = m.Groups[1].Value;
                if (to == from || excluded.Contains(to)) continue;
                edges.TryAdd((from, to), new Edge(from, to, $"{path} names {prefix}{to}"));
            }
        }
        return edges.Values;
    }

    private static Regex Reference(string prefix) => new(@"(?<![\w.])" + Regex.Escape(prefix) + @"([A-Z]\w*)\b");

    // Strongly connected components of more than one slice, each as its slices and the edges inside it.
    public static List<(IReadOnlyList<string> Slices, IReadOnlyList<Edge> Edges)> Cycles(IEnumerable<Edge> all)
    {
        var edges = all.GroupBy(e => (e.From, e.To)).Select(g => g.First()).ToList();
        var nodes = edges.SelectMany(e => new[] { e.From, e.To }).Distinct().Order(StringComparer.Ordinal).ToList();
        var next = nodes.ToDictionary(n => n, n => edges.Where(e => e.From == n).Select(e => e.To).ToList());
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<(IReadOnlyList<string>, IReadOnlyList<Edge>)>();
        foreach (var n in nodes) if (!index.ContainsKey(n)) Connect(n);
        return result;

        void Connect(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in next[v])
            {
                if (!index.ContainsKey(w))
                {
                    Connect(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            } while (x != v);
            if (component.Count < 2) return;
            var set = component.ToHashSet();
            result.Add((component.Order(StringComparer.Ordinal).ToList(), edges.Where(e => set.Contains(e.From) && set.Contains(e.To)).ToList()));
        }
    }

    public static string Describe(List<(IReadOnlyList<string> Slices, IReadOnlyList<Edge> Edges)> cycles) =>
        string.Join("; ", cycles.Select(c => $"[{string.Join(" <-> ", c.Slices)}]: " + string.Join(", ", c.Edges.Select(e => $"{e.From} -> {e.To} ({e.Example})"))));

    private static string? SliceOf(string? ns, string prefix, ISet<string> excluded)
    {
        if (ns is null || !ns.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var rest = ns[prefix.Length..];
        var dot = rest.IndexOf('.');
        var slice = dot < 0 ? rest : rest[..dot];
        return slice.Length == 0 || excluded.Contains(slice) ? null : slice;
    }

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<Type> Uses(Type type)
    {
        var found = new HashSet<Type>();
        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        foreach (var f in type.GetFields(Declared)) Add(f.FieldType);
        foreach (var p in type.GetProperties(Declared)) Add(p.PropertyType);
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo mi) Add(mi.ReturnType);
            foreach (var p in SafeParameters(method)) Add(p.ParameterType);
            foreach (var token in Tokens(method)) Resolve(method, token);
        }
        return found;

        void Add(Type? t)
        {
            if (t is null) return;
            if (t.HasElementType)
            {
                Add(t.GetElementType());
                return;
            }
            if (t.IsGenericParameter || !found.Add(t)) return;
            if (t.IsConstructedGenericType) foreach (var a in t.GetGenericArguments()) Add(a);
        }

        void Resolve(MethodBase method, int token)
        {
            try
            {
                var typeArgs = type.IsGenericType ? type.GetGenericArguments() : null;
                var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
                switch (method.Module.ResolveMember(token, typeArgs, methodArgs))
                {
                    case Type t: Add(t); break;
                    case MethodBase m:
                        Add(m.DeclaringType);
                        if (m is MethodInfo { IsGenericMethod: true } g) foreach (var a in g.GetGenericArguments()) Add(a);
                        break;
                    case FieldInfo f: Add(f.DeclaringType); Add(f.FieldType); break;
                }
            }
            catch (ArgumentException)
            {
            }
            catch (TypeLoadException)
            {
            }
            catch (BadImageFormatException)
            {
            }
        }
    }

    private static ParameterInfo[] SafeParameters(MethodBase method)
    {
        try
        {
            return method.GetParameters();
        }
        catch (TypeLoadException)
        {
            return [];
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodeTable = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    // Metadata tokens of the type, method and field operands in a method body.
    private static IEnumerable<int> Tokens(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (InvalidOperationException)
        {
            il = null;
        }
        if (il is null) yield break;
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i++];
            if (value == 0xFE && i < il.Length) value = unchecked((short)(0xFE00 | il[i++]));
            if (!OpCodeTable.TryGetValue(value, out var op)) yield break;
            switch (op.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    yield return BitConverter.ToInt32(il, i);
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                default:
                    i += 4;
                    break;
            }
        }
    }
}
