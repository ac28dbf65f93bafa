using System.Globalization;
using System.Text.Json;
using Workbench.Core.Customers;

namespace Workbench.Core.Segments.Rules;

// Checks a rule against the field catalog and names each problem by its place:
// "condition 2 of group 1: 'recency_days' needs a number". The root is group 1; its second subgroup is group 1.2.
public static class RuleValidator
{
    public const int MaxConditions = 200;
    public const int MaxDepth = 8;

    public static IReadOnlyList<string> Validate(RuleGroup rule)
    {
        var problems = new List<string>();
        var total = 0;
        Check(rule, "group 1", 1, problems, ref total);
        if (total > MaxConditions) problems.Add($"the rule has {total} conditions; at most {MaxConditions} are allowed");
        return problems;
    }

    private static void Check(RuleGroup group, string path, int depth, List<string> problems, ref int total)
    {
        if (depth > MaxDepth) { problems.Add($"{path}: groups nest at most {MaxDepth} deep"); return; }
        if (group.Op is not (RuleOps.And or RuleOps.Or)) problems.Add($"{path}: op must be 'and' or 'or', not '{group.Op}'");
        group.Conditions ??= [];
        group.Groups ??= [];
        for (var i = 0; i < group.Conditions.Count; i++)
        {
            total++;
            var problem = group.Conditions[i] is { } c ? CheckCondition(c) : "is null";
            if (problem is not null) problems.Add($"condition {i + 1} of {path}: {problem}");
        }
        for (var i = 0; i < group.Groups.Count; i++)
        {
            if (group.Groups[i] is null) { problems.Add($"{path}.{i + 1}: is null"); continue; }
            Check(group.Groups[i], $"{path}.{i + 1}", depth + 1, problems, ref total);
        }
    }

    // Null when the condition is valid; otherwise why not.
    public static string? CheckCondition(RuleCondition c)
    {
        var field = FieldCatalog.Find(c.Field);
        if (field is null) return string.IsNullOrEmpty(c.Field) ? "no field chosen" : $"unknown field '{c.Field}'";
        var name = $"'{field.Id}'";
        if (!field.Operators.Contains(c.Operator))
        {
            return string.IsNullOrEmpty(c.Operator)
                ? $"{name} needs an operator ({string.Join(", ", field.Operators)})"
                : $"{name} does not take operator '{c.Operator}' (use {string.Join(", ", field.Operators)})";
        }
        if (c.Operator is Operators.IsEmpty or Operators.IsNotEmpty) return null;
        switch (field.Kind)
        {
            case FieldKind.Number when c.Operator == Operators.Between:
                return c.Values is { Count: 2 } && RuleValues.Number(c.Values[0]) is { } lo && RuleValues.Number(c.Values[1]) is { } hi
                    ? lo <= hi ? null : $"{name} between needs the low bound first"
                    : $"{name} between needs two numbers [low, high]";
            case FieldKind.Number:
                return RuleValues.Number(c.Value) is null ? $"{name} needs a number" : null;
            case FieldKind.Text or FieldKind.Choice when c.Operator is Operators.In or Operators.NotIn:
                return c.Values is { Count: > 0 } && c.Values.All(v => RuleValues.Text(v) is not null)
                    ? null : $"{name} needs a list of one or more values";
            case FieldKind.Text or FieldKind.Choice:
                return RuleValues.Text(c.Value) is null ? $"{name} needs a text value" : null;
            case FieldKind.Date or FieldKind.DateTime when c.Operator is Operators.WithinDays or Operators.NotWithinDays:
                return c.Days is >= 0 ? null : $"{name} needs days (a whole number ≥ 0)";
            case FieldKind.Date or FieldKind.DateTime:
                return RuleValues.Date(c.Value) is null ? $"{name} needs a date like 2026-03-01" : null;
            case FieldKind.BoughtCategory:
                if (string.IsNullOrWhiteSpace(c.Category)) return $"{name} needs a category";
                return c.Days is >= 0 ? null : $"{name} needs days (a whole number ≥ 0)";
            case FieldKind.Event:
                if (string.IsNullOrWhiteSpace(c.Type)) return $"{name} needs an event type";
                if (c.Days is not null && c.Hours is not null) return $"{name} takes days or hours, not both";
                return c.Days is >= 0 || c.Hours is >= 0 ? null : $"{name} needs a window in days or hours (a whole number ≥ 0)";
            case FieldKind.Consent:
                if (c.Channel is null || !Channels.Contact.Contains(c.Channel))
                    return $"{name} needs a channel ({string.Join(", ", Channels.Contact)})";
                return RuleValues.Text(c.Value) is { } s && FieldCatalog.ConsentStates.Contains(s)
                    ? null : $"{name} needs a status ({string.Join(", ", FieldCatalog.ConsentStates)})";
            default:
                return null;
        }
    }
}

// Typed reads of the JSON values of a condition.
public static class RuleValues
{
    public static double? Number(JsonElement? e) =>
        e is { ValueKind: JsonValueKind.Number } n && n.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

    // Empty text is no value: a condition on "" would mean is_empty, which says so.
    public static string? Text(JsonElement? e) => e is { ValueKind: JsonValueKind.String } s && s.GetString() is { Length: > 0 } t ? t : null;

    public static DateOnly? Date(JsonElement? e) =>
        Text(e) is { } s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public static JsonElement Of(double value) => JsonSerializer.SerializeToElement(value);

    public static JsonElement Of(string value) => JsonSerializer.SerializeToElement(value);

    // The window of a within condition, ending at asOf.
    public static DateTime Since(RuleCondition c, DateTime asOf) =>
        c.Hours is { } h ? asOf.AddHours(-h) : asOf.AddDays(-(c.Days ?? 0));
}
