using System.Globalization;
using System.Text.Json;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Playbook;

// Segment-rule conditions in words, and the customer's own value for each, for the eligibility verdict.
public static class RuleText
{
    // A rule is immutable and every customer of a run asks for its words: kept per condition and group instance.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RuleCondition, string> Conditions = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RuleGroup, string> Groups = new();

    public static string Condition(RuleCondition c) => Conditions.GetValue(c, ConditionUncached);

    public static string Group(RuleGroup g) => Groups.GetValue(g, GroupUncached);

    private static string ConditionUncached(RuleCondition c)
    {
        var field = FieldCatalog.Find(c.Field);
        var name = field?.Label ?? c.Field;
        var window = c.Hours is { } h ? $"{h} h" : $"{c.Days} days";
        return field?.Kind switch
        {
            FieldKind.BoughtCategory => $"{(c.Operator == Operators.Within ? "bought" : "not bought")} {c.Category} in the last {window}",
            FieldKind.Event => $"{(c.Operator == Operators.Within ? "had" : "no")} {c.Type} in the last {window}",
            FieldKind.Consent => $"consent for {c.Channel} {(c.Operator == Operators.Is ? "is" : "is not")} {RuleValues.Text(c.Value)}",
            _ => c.Operator switch
            {
                Operators.IsEmpty or Operators.IsNotEmpty => $"{name} {Operators.Label(c.Operator)}",
                Operators.Between => $"{name} between {Json(c.Values?[0])} and {Json(c.Values?[1])}",
                Operators.In or Operators.NotIn => $"{name} {Operators.Label(c.Operator)} {string.Join(", ", (c.Values ?? []).Select(v => Json(v)))}",
                Operators.WithinDays => $"{name} in the last {c.Days} days",
                Operators.NotWithinDays => $"{name} not in the last {c.Days} days",
                _ => $"{name} {Operators.Label(c.Operator)} {Json(c.Value)}",
            },
        };
    }

    private static string GroupUncached(RuleGroup g)
    {
        var parts = g.Conditions.Select(Condition).Concat(g.Groups.Select(x => $"({Group(x)})")).ToList();
        var body = parts.Count == 0 ? (g.Op == RuleOps.And ? "everyone" : "no one") : string.Join(g.Op == RuleOps.And ? " and " : " or ", parts);
        return g.Not ? $"not ({body})" : body;
    }

    public static string Value(RuleCondition c, CustomerFacts facts, DateTime now)
    {
        var field = FieldCatalog.Find(c.Field);
        if (field is null) return "unknown field";
        switch (field.Kind)
        {
            case FieldKind.BoughtCategory:
                var bought = facts.Categories.Where(a => a.Category == c.Category).Select(a => (DateTime?)a.LastBoughtAt).Max();
                return bought is { } b ? $"last bought {c.Category} {Show.Time(b)}" : $"never bought {c.Category}";
            case FieldKind.Event:
                var had = facts.Events.Where(e => e.Type == c.Type).Select(e => (DateTime?)e.LastAt).Max();
                return had is { } e ? $"last {c.Type} {Show.Time(e)}" : $"no {c.Type} event";
            case FieldKind.Consent:
                return facts.Consents.TryGetValue(c.Channel ?? "", out var s) ? $"{c.Channel}: {s}" : $"{c.Channel}: no consent recorded (unknown)";
        }
        var value = facts.Values.GetValueOrDefault(field.Id);
        var label = field.Label;
        return value switch
        {
            null or "" => $"{label}: empty",
            double d => $"{label}: {d.ToString("0.####", CultureInfo.InvariantCulture)}",
            DateTime t when field.Kind == FieldKind.Date => $"{label}: {Show.Day(DateOnly.FromDateTime(t))}",
            DateTime t => $"{label}: {Show.Time(t)}",
            _ => $"{label}: {value}",
        };
    }

    public static string Values(RuleGroup g, CustomerFacts facts, DateTime now) =>
        string.Join("; ", Flatten(g).Select(c => Value(c, facts, now)).Distinct());

    private static IEnumerable<RuleCondition> Flatten(RuleGroup g) => g.Conditions.Concat(g.Groups.SelectMany(Flatten));

    private static string Json(JsonElement? e) => e switch
    {
        null => "?",
        { ValueKind: JsonValueKind.String } s => s.GetString() ?? "",
        { } v => v.GetRawText(),
    };
}
