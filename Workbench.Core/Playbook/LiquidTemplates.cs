using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Ast;

namespace Workbench.Core.Playbook;

// A template parsed once (and, for HTML, sanitised first) and kept: the renderer and the validator share the cache.
public sealed record ParsedTemplate(
    IFluidTemplate? Template,
    string? Error,
    int? Line,
    int? Column,
    SanitizedTemplate? Sanitized,
    IReadOnlyList<string> Variables,
    IReadOnlyList<string> RawOutputs);

public static partial class LiquidTemplates
{
    private const int MaxCached = 20_000;
    private static readonly FluidParser Parser = new();
    private static readonly ConcurrentDictionary<(string Source, bool Html), ParsedTemplate> Cache = new();

    public static readonly TemplateOptions Options = new()
    {
        CultureInfo = CultureInfo.InvariantCulture,
        MaxSteps = 100_000,
        MaxRecursion = 20,
    };

    [GeneratedRegex(@"at \((\d+):(\d+)\)")]
    private static partial Regex Position();

    public static ParsedTemplate Get(string source, bool html)
    {
        if (Cache.TryGetValue((source, html), out var hit)) return hit;
        if (Cache.Count >= MaxCached) Cache.Clear();
        return Cache.GetOrAdd((source, html), static key => Parse(key.Source, key.Html));
    }

    private static ParsedTemplate Parse(string source, bool html)
    {
        // Syntax is checked on the authored text, so line and column point into what the author wrote.
        if (!Parser.TryParse(source, out var authored, out var error))
        {
            var m = Position().Match(error ?? "");
            int? line = m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
            int? column = m.Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : null;
            var message = (error ?? "the template does not parse").Split('\n')[0];
            return new ParsedTemplate(null, message, line, column, null, [], []);
        }
        var sanitized = html ? ContentSanitizer.SanitizeTemplate(source) : null;
        var template = authored;
        if (sanitized is not null && sanitized.Html != source && !Parser.TryParse(sanitized.Html, out template, out var after))
            return new ParsedTemplate(null, $"the template no longer parses once its unsafe HTML is removed: {after?.Split('\n')[0]}", null, null, sanitized, [], []);
        var walker = new VariableWalker();
        walker.VisitTemplate(authored);
        return new ParsedTemplate(template, null, null, null, sanitized, walker.Free.ToList(), walker.Raw.ToList());
    }

    // The names a template reads that it did not assign itself (assign, capture, for, increment), and raw outputs.
    private sealed class VariableWalker : AstVisitor
    {
        private readonly HashSet<string> _local = new(StringComparer.Ordinal) { "forloop", "tablerowloop", "empty", "blank", "nil", "null", "true", "false" };
        public readonly SortedSet<string> Free = new(StringComparer.Ordinal);
        public readonly List<string> Raw = [];

        protected override Statement VisitAssignStatement(AssignStatement assignStatement)
        {
            var result = base.VisitAssignStatement(assignStatement);
            _local.Add(assignStatement.Identifier);
            return result;
        }

        protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
        {
            _local.Add(captureStatement.Identifier);
            return base.VisitCaptureStatement(captureStatement);
        }

        protected override Statement VisitForStatement(ForStatement forStatement)
        {
            _local.Add(forStatement.Identifier);
            return base.VisitForStatement(forStatement);
        }

        protected override Expression VisitMemberExpression(MemberExpression memberExpression)
        {
            if (memberExpression.Segments.Count > 0 && memberExpression.Segments[0] is IdentifierSegment id && !_local.Contains(id.Identifier))
                Free.Add(id.Identifier);
            return base.VisitMemberExpression(memberExpression);
        }

        protected override Expression VisitFilterExpression(FilterExpression filterExpression)
        {
            if (filterExpression.Name == "raw") Raw.Add(filterExpression.Name);
            return base.VisitFilterExpression(filterExpression);
        }
    }
}
