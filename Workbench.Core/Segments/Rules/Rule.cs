using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workbench.Core.Segments.Rules;

// A segment rule as stored (JSON). A group combines its conditions and subgroups with AND or OR, optionally negated.
// An empty AND group matches everyone, an empty OR group matches no one (the identities of AND and OR).
// The classes are mutable because the builder edits the document in place; engines only read them.
public sealed class RuleGroup
{
    public string Op { get; set; } = RuleOps.And;
    public bool Not { get; set; }
    public List<RuleCondition> Conditions { get; set; } = [];
    public List<RuleGroup> Groups { get; set; } = [];
}

public sealed class RuleCondition
{
    public string Field { get; set; } = "";
    public string Operator { get; set; } = "";

    // A number, a text or a date ("2026-03-01") for single-value operators.
    public JsonElement? Value { get; set; }

    // The list for in / not_in, the two bounds for between.
    public List<JsonElement>? Values { get; set; }

    // The subject of a behaviour or consent condition.
    public string? Category { get; set; }
    public string? Type { get; set; }
    public string? Channel { get; set; }

    // The window of within / not_within conditions.
    public int? Days { get; set; }
    public int? Hours { get; set; }
}

public static class RuleOps
{
    public const string And = "and";
    public const string Or = "or";
}

public static class Operators
{
    public const string Eq = "eq", Ne = "ne", Gt = "gt", Gte = "gte", Lt = "lt", Lte = "lte", Between = "between";
    public const string In = "in", NotIn = "not_in", IsEmpty = "is_empty", IsNotEmpty = "is_not_empty";
    public const string Before = "before", After = "after", WithinDays = "within_days", NotWithinDays = "not_within_days";
    public const string Within = "within", NotWithin = "not_within", Is = "is", IsNot = "is_not";

    public static string Label(string op) => op switch
    {
        Eq => "=", Ne => "≠", Gt => ">", Gte => "≥", Lt => "<", Lte => "≤", Between => "between",
        In => "is one of", NotIn => "is none of", IsEmpty => "is empty", IsNotEmpty => "has a value",
        Before => "before", After => "after", WithinDays => "in the last N days", NotWithinDays => "not in the last N days",
        Within => "within the window", NotWithin => "not within the window", Is => "is", IsNot => "is not",
        _ => op,
    };
}

public static class RuleJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static string Serialize(RuleGroup rule) => JsonSerializer.Serialize(rule, Options);

    // Parses and validates; a rule with problems comes back with every problem named, never as an exception.
    public static RuleParseResult Parse(string json)
    {
        RuleGroup? rule;
        try
        {
            rule = JsonSerializer.Deserialize<RuleGroup>(json, Options);
        }
        catch (JsonException e)
        {
            return new RuleParseResult(null, [Describe(e)]);
        }
        if (rule is null) return new RuleParseResult(null, ["not a rule: the JSON is null"]);
        var problems = RuleValidator.Validate(rule);
        return new RuleParseResult(problems.Count == 0 ? rule : null, problems);
    }

    // The serializer's own messages name .NET types ("could not be converted to Workbench.Core…"); say where instead.
    private static string Describe(JsonException e)
    {
        var where = $"at {(string.IsNullOrEmpty(e.Path) ? "$" : e.Path)} (line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1})";
        if (e.InnerException?.GetType().Name == "JsonReaderException") return $"not a rule: the text is not valid JSON {where}";
        return e.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? $"not a rule: a property a rule does not have {where}; a group has op, not, conditions and groups"
            : $"not a rule: a value of the wrong kind {where} (a list, text, number or true/false where another is needed)";
    }
}

public sealed record RuleParseResult(RuleGroup? Rule, IReadOnlyList<string> Problems)
{
    public bool IsValid => Rule is not null;
}
