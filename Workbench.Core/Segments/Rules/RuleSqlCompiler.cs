using System.Globalization;
using System.Text;
using Workbench.Core.Data;

namespace Workbench.Core.Segments.Rules;

// The WHERE clause of a rule over `customers c LEFT JOIN customer_features f`, every value a parameter.
// SQL NULL would make NOT(x) unknown where the reference evaluator says true, so a condition under a NOT is made
// two-valued with IFNULL(…, 0); outside any NOT, unknown already acts as false and the bare comparison keeps indexes usable.
public sealed record CompiledRule(string Where, IReadOnlyList<KeyValuePair<string, object>> Parameters, bool UsesFeatures)
{
    public const string From = "customers c LEFT JOIN customer_features f ON f.customer_id = c.customer_id";

    public string FromClause => UsesFeatures ? From : "customers c";
}

public static class RuleSqlCompiler
{
    // The rule must be valid (RuleValidator); asOf is the end of every "in the last N days" window.
    public static CompiledRule Compile(RuleGroup rule, DateTime asOf)
    {
        var problems = RuleValidator.Validate(rule);
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(rule));
        var state = new State(asOf);
        var sb = new StringBuilder();
        state.Group(rule, sb, negated: false, topLevel: true);
        return new CompiledRule(sb.ToString(), state.Parameters, state.UsesFeatures);
    }

    private sealed class State(DateTime asOf)
    {
        public readonly List<KeyValuePair<string, object>> Parameters = [];
        public bool UsesFeatures;

        private string P(object value)
        {
            var name = "$p" + Parameters.Count.ToString(CultureInfo.InvariantCulture);
            Parameters.Add(new(name, value));
            return name;
        }

        // topLevel: the group's conditions must all hold for every member (ANDs from the root, no NOT on the way).
        public void Group(RuleGroup g, StringBuilder sb, bool negated, bool topLevel = false)
        {
            negated |= g.Not;
            topLevel &= g.Op == RuleOps.And && !g.Not;
            // Cheap column tests first, lookups into the activity and consent tables last: AND and OR stop early,
            // so a lookup runs only for the rows the column tests leave undecided.
            var parts = new List<(int Cost, string Sql)>();
            foreach (var c in g.Conditions)
                parts.Add((FieldCatalog.Find(c.Field)!.Source == FieldSource.Behaviour ? 2 : 0, Condition(c, negated, topLevel)));
            foreach (var child in g.Groups)
            {
                var inner = new StringBuilder();
                Group(child, inner, negated, topLevel);
                parts.Add((1, inner.ToString()));
            }
            var ordered = parts.OrderBy(p => p.Cost).Select(p => p.Sql).ToList();
            var body = ordered.Count == 0
                ? g.Op == RuleOps.And ? "1" : "0"
                : string.Join(g.Op == RuleOps.And ? " AND " : " OR ", ordered);
            sb.Append(g.Not ? "NOT (" : "(").Append(body).Append(')');
        }

        private string Condition(RuleCondition c, bool negated, bool topLevel)
        {
            var field = FieldCatalog.Find(c.Field)!;
            switch (field.Kind)
            {
                case FieldKind.BoughtCategory:
                    if (topLevel && c.Operator == Operators.Within)
                        return DriveFrom($"SELECT a.customer_id FROM customer_category_activity a WHERE a.category = {P(c.Category!)} AND a.last_bought_at >= {P(Format(RuleValues.Since(c, asOf)))}");
                    return Exists(c.Operator == Operators.NotWithin,
                        $"customer_category_activity a WHERE a.customer_id = c.customer_id AND a.category = {P(c.Category!)} AND a.last_bought_at >= {P(Format(RuleValues.Since(c, asOf)))}");
                case FieldKind.Event:
                    if (topLevel && c.Operator == Operators.Within)
                        return DriveFrom($"SELECT e.customer_id FROM customer_event_activity e WHERE e.type = {P(c.Type!)} AND e.last_at >= {P(Format(RuleValues.Since(c, asOf)))}");
                    return Exists(c.Operator == Operators.NotWithin,
                        $"customer_event_activity e WHERE e.customer_id = c.customer_id AND e.type = {P(c.Type!)} AND e.last_at >= {P(Format(RuleValues.Since(c, asOf)))}");
                case FieldKind.Consent:
                    var status = RuleValues.Text(c.Value)!;
                    var sql = status == "unknown"
                        ? Exists(true, $"consents k WHERE k.customer_id = c.customer_id AND k.channel = {P(c.Channel!)}")
                        : Exists(false, $"consents k WHERE k.customer_id = c.customer_id AND k.channel = {P(c.Channel!)} AND k.status = {P(status)}");
                    return c.Operator == Operators.IsNot ? $"NOT {sql}" : sql;
            }

            string column;
            if (field.Source == FieldSource.Features)
            {
                UsesFeatures = true;
                column = field.ZeroWhenMissing ? $"COALESCE(f.{field.Column}, 0)" : $"f.{field.Column}";
            }
            else
            {
                column = $"c.{field.Column}";
            }
            var test = Compare(field, c, column);
            return negated && !IsTwoValued(c.Operator) ? $"IFNULL({test}, 0)" : $"({test})";
        }

        private static bool IsTwoValued(string op) => op is Operators.IsEmpty or Operators.IsNotEmpty;

        // A required "bought / had … within" reads the (category|type, time) index and lets the planner start from
        // those customers (a seek on customers' primary key each) instead of scanning everyone.
        private static string DriveFrom(string subquery) => $"(c.customer_id IN ({subquery}))";

        // A primary-key probe per row that reaches it: (customer_id, category|type|channel) keys every one of these tables.
        private static string Exists(bool not, string from) => $"({(not ? "NOT EXISTS" : "EXISTS")} (SELECT 1 FROM {from}))";

        private string Compare(RuleField field, RuleCondition c, string col)
        {
            var text = field.Kind is FieldKind.Text or FieldKind.Choice or FieldKind.Date or FieldKind.DateTime;
            switch (c.Operator)
            {
                case Operators.IsEmpty: return text ? $"{col} IS NULL OR {col} = ''" : $"{col} IS NULL";
                case Operators.IsNotEmpty: return text ? $"{col} IS NOT NULL AND {col} <> ''" : $"{col} IS NOT NULL";
                case Operators.In or Operators.NotIn:
                    var list = string.Join(", ", c.Values!.Select(v => P(RuleValues.Text(v)!)));
                    return c.Operator == Operators.In ? $"{col} IN ({list})" : $"{col} NOT IN ({list}) AND {col} <> ''";
                case Operators.Between:
                    return $"{col} BETWEEN {P(RuleValues.Number(c.Values![0])!.Value)} AND {P(RuleValues.Number(c.Values[1])!.Value)}";
                case Operators.Before: return $"{col} < {P(FormatFor(field, RuleValues.Date(c.Value)!.Value))} AND {col} <> ''";
                case Operators.After: return $"{col} >= {P(FormatFor(field, RuleValues.Date(c.Value)!.Value.AddDays(1)))}";
                case Operators.WithinDays: return $"{col} >= {P(SinceFor(field, c))}";
                case Operators.NotWithinDays: return $"{col} < {P(SinceFor(field, c))} AND {col} <> ''";
            }
            object value = field.Kind == FieldKind.Number ? RuleValues.Number(c.Value)!.Value : RuleValues.Text(c.Value)!;
            var op = c.Operator switch
            {
                Operators.Eq => "=", Operators.Ne => "<>", Operators.Gt => ">", Operators.Gte => ">=",
                Operators.Lt => "<", Operators.Lte => "<=",
                _ => throw new InvalidOperationException($"operator {c.Operator}"),
            };
            return field.Kind != FieldKind.Number && c.Operator == Operators.Ne
                ? $"{col} <> {P(value)} AND {col} <> ''"
                : $"{col} {op} {P(value)}";
        }

        private string SinceFor(RuleField field, RuleCondition c) => field.Kind == FieldKind.Date
            ? StoreTime.Format(DateOnly.FromDateTime(asOf.AddDays(-c.Days!.Value)))
            : Format(asOf.AddDays(-c.Days!.Value));

        private static string FormatFor(RuleField field, DateOnly day) => field.Kind == FieldKind.Date
            ? StoreTime.Format(day)
            : Format(day.ToDateTime(TimeOnly.MinValue));
    }

    public static string Format(DateTime t) => StoreTime.Format(t);
}
