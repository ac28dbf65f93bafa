namespace Workbench.Core.Segments.Rules;

// What the reference evaluator knows of one customer. Values holds each catalog field by id: double? for numbers,
// string? for text and choices, DateTime? for dates (a date-only field at midnight).
public sealed record CustomerFacts(
    string CustomerId,
    IReadOnlyDictionary<string, object?> Values,
    IReadOnlyList<(string Category, DateTime LastBoughtAt)> Categories,
    IReadOnlyList<(string Type, DateTime LastAt)> Events,
    IReadOnlyDictionary<string, string> Consents);

// The in-memory meaning of a rule, written for clarity: the reference the SQL compiler is tested against.
// Not used on any hot path.
public static class RuleEvaluator
{
    public static bool Matches(RuleGroup g, CustomerFacts c, DateTime asOf)
    {
        var results = g.Conditions.Select(x => Matches(x, c, asOf)).Concat(g.Groups.Select(x => Matches(x, c, asOf)));
        var result = g.Op == RuleOps.And ? results.All(r => r) : results.Any(r => r);
        return g.Not ? !result : result;
    }

    public static bool Matches(RuleCondition cond, CustomerFacts c, DateTime asOf)
    {
        var field = FieldCatalog.Find(cond.Field) ?? throw new ArgumentException($"unknown field {cond.Field}");
        switch (field.Kind)
        {
            case FieldKind.BoughtCategory:
                var since = RuleValues.Since(cond, asOf);
                var bought = c.Categories.Any(a => a.Category == cond.Category && a.LastBoughtAt >= since);
                return cond.Operator == Operators.Within ? bought : !bought;
            case FieldKind.Event:
                var from = RuleValues.Since(cond, asOf);
                var had = c.Events.Any(e => e.Type == cond.Type && e.LastAt >= from);
                return cond.Operator == Operators.Within ? had : !had;
            case FieldKind.Consent:
                var status = c.Consents.TryGetValue(cond.Channel!, out var s) ? s : "unknown";
                var isStatus = status == RuleValues.Text(cond.Value);
                return cond.Operator == Operators.Is ? isStatus : !isStatus;
        }

        var value = c.Values.GetValueOrDefault(field.Id);
        if (value is "") value = null;
        switch (cond.Operator)
        {
            case Operators.IsEmpty: return value is null;
            case Operators.IsNotEmpty: return value is not null;
        }
        if (value is null) return false;
        switch (field.Kind)
        {
            case FieldKind.Number:
                var x = (double)value;
                if (cond.Operator == Operators.Between)
                    return x >= RuleValues.Number(cond.Values![0]) && x <= RuleValues.Number(cond.Values[1]);
                var n = RuleValues.Number(cond.Value)!.Value;
                return cond.Operator switch
                {
                    Operators.Eq => x == n, Operators.Ne => x != n, Operators.Gt => x > n, Operators.Gte => x >= n,
                    Operators.Lt => x < n, Operators.Lte => x <= n, _ => throw new ArgumentException(cond.Operator),
                };
            case FieldKind.Text or FieldKind.Choice:
                var t = (string)value;
                return cond.Operator switch
                {
                    Operators.Eq => t == RuleValues.Text(cond.Value),
                    Operators.Ne => t != RuleValues.Text(cond.Value),
                    Operators.In => cond.Values!.Any(v => RuleValues.Text(v) == t),
                    Operators.NotIn => cond.Values!.All(v => RuleValues.Text(v) != t),
                    _ => throw new ArgumentException(cond.Operator),
                };
            default:
                var d = (DateTime)value;
                var dateOnly = field.Kind == FieldKind.Date;
                DateTime Window() => dateOnly ? asOf.AddDays(-cond.Days!.Value).Date : asOf.AddDays(-cond.Days!.Value);
                return cond.Operator switch
                {
                    Operators.Before => d < RuleValues.Date(cond.Value)!.Value.ToDateTime(TimeOnly.MinValue),
                    Operators.After => d >= RuleValues.Date(cond.Value)!.Value.AddDays(1).ToDateTime(TimeOnly.MinValue),
                    Operators.WithinDays => d >= Window(),
                    Operators.NotWithinDays => d < Window(),
                    _ => throw new ArgumentException(cond.Operator),
                };
        }
    }
}
