using System.Numerics;
using Workbench.Core.Customers;
using Workbench.Core.Data;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Segments.Facts;

// The members of a rule as a bit per row of SegmentFacts, with the meaning RuleSqlCompiler gives it in SQL (tested on
// random rules): a condition on NULL is false, also under a NOT, and '' is empty. Pure: the facts and asOf in, bits out.
public sealed class Members
{
    internal Members(ulong[] words, int count)
    {
        Words = words;
        Count = count;
    }

    internal ulong[] Words { get; }

    public int Count { get; }

    public long Size()
    {
        long n = 0;
        foreach (var w in Words) n += BitOperations.PopCount(w);
        return n;
    }

    public IEnumerable<int> Rows()
    {
        for (var i = 0; i < Words.Length; i++)
        {
            var w = Words[i];
            while (w != 0)
            {
                yield return i * 64 + BitOperations.TrailingZeroCount(w);
                w &= w - 1;
            }
        }
    }
}

public sealed record FactsKpis(long Size, long Total, double Revenue, double AllRevenue, bool Computed, IReadOnlyList<(string Channel, long Granted)> Reach);

public static class FactsEvaluator
{
    // False when the rule tests a field whose stored values the facts do not hold exactly (SQL answers it then).
    public static bool CanEvaluate(RuleGroup rule, SegmentFacts facts) =>
        rule.Conditions.All(c => !facts.Irregular.Contains(c.Field)) && rule.Groups.All(g => CanEvaluate(g, facts));

    public static Members Evaluate(RuleGroup rule, SegmentFacts facts, DateTime asOf, CancellationToken ct = default)
    {
        var problems = RuleValidator.Validate(rule);
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(rule));
        if (!CanEvaluate(rule, facts)) throw new InvalidOperationException("the rule tests a field the facts do not hold exactly");
        return new Members(Group(rule, facts, asOf, ct), facts.Count);
    }

    public static FactsKpis Kpis(Members members, SegmentFacts facts)
    {
        var revenue = facts.Numbers["net_revenue"].Values;
        double sum = 0, compensation = 0;
        // Every contact channel, then any other channel with a grant, as the SQL's GROUP BY adds them.
        var reach = Channels.Contact.Select(c => (c, Granted(c)))
            .Concat(facts.Consents.Keys.Except(Channels.Contact).Order(StringComparer.Ordinal).Select(c => (c, Granted(c))).Where(r => r.Item2 > 0))
            .ToList();
        foreach (var row in members.Rows())
        {
            var x = revenue[row];
            var t = sum + x;
            compensation += Math.Abs(sum) >= Math.Abs(x) ? sum - t + x : x - t + sum;
            sum = t;
        }
        return new FactsKpis(members.Size(), facts.Count, sum + compensation, facts.AllRevenue, facts.FeaturesComputed, reach);

        long Granted(string channel)
        {
            if (!facts.Consents.TryGetValue(channel, out var column)) return 0;
            var granted = column.Dictionary.IndexOf("granted");
            if (granted < 2) return 0;
            long n = 0;
            foreach (var row in members.Rows()) if (column.Codes[row] == granted) n++;
            return n;
        }
    }

    private static ulong[] Group(RuleGroup g, SegmentFacts facts, DateTime asOf, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var words = Words(facts.Count);
        var and = g.Op == RuleOps.And;
        if (and) SetAll(words, facts.Count);
        foreach (var part in g.Conditions.Select(c => Condition(c, facts, asOf)).Concat(g.Groups.Select(x => Group(x, facts, asOf, ct))))
        {
            for (var i = 0; i < words.Length; i++) words[i] = and ? words[i] & part[i] : words[i] | part[i];
        }
        if (g.Not) Invert(words, facts.Count);
        return words;
    }

    private static ulong[] Condition(RuleCondition c, SegmentFacts facts, DateTime asOf)
    {
        var field = FieldCatalog.Find(c.Field)!;
        var n = facts.Count;
        switch (field.Kind)
        {
            case FieldKind.BoughtCategory:
                return Within(facts.Categories.GetValueOrDefault(c.Category!), RuleValues.Since(c, asOf), n, c.Operator == Operators.NotWithin);
            case FieldKind.Event:
                return Within(facts.Events.GetValueOrDefault(c.Type!), RuleValues.Since(c, asOf), n, c.Operator == Operators.NotWithin);
            case FieldKind.Consent:
                var status = RuleValues.Text(c.Value)!;
                var column = facts.Consents.GetValueOrDefault(c.Channel!);
                ulong[] bits;
                if (status == "unknown") bits = column is null ? AllSet(n) : Where(n, i => column.Codes[i] == TextColumn.Null);
                else
                {
                    var code = column?.Dictionary.IndexOf(status) ?? -1;
                    bits = code < 2 ? Words(n) : Where(n, i => column!.Codes[i] == code);
                }
                if (c.Operator == Operators.IsNot) Invert(bits, n);
                return bits;
            case FieldKind.Number:
                return Number(c, facts.Numbers[field.Id].Values, n);
            case FieldKind.Text or FieldKind.Choice:
                return Text(c, facts.Texts[field.Id], n);
            default:
                return Time(c, field, facts.Times[field.Id].Ticks, asOf, n);
        }
    }

    private static ulong[] Within(Activity? activity, DateTime since, int n, bool not)
    {
        var bits = Words(n);
        if (activity is not null)
        {
            var from = since.Ticks;
            for (var k = 0; k < activity.Rows.Length; k++)
                if (activity.Ticks[k] >= from) Set(bits, activity.Rows[k]);
        }
        if (not) Invert(bits, n);
        return bits;
    }

    private static ulong[] Number(RuleCondition c, double[] v, int n)
    {
        switch (c.Operator)
        {
            case Operators.IsEmpty: return Where(n, i => double.IsNaN(v[i]));
            case Operators.IsNotEmpty: return Where(n, i => !double.IsNaN(v[i]));
            case Operators.Between:
                var lo = RuleValues.Number(c.Values![0])!.Value;
                var hi = RuleValues.Number(c.Values[1])!.Value;
                return Where(n, i => v[i] >= lo && v[i] <= hi);
        }
        var x = RuleValues.Number(c.Value)!.Value;
        // NaN (NULL) fails every comparison below; != needs the test spelled out.
        return c.Operator switch
        {
            Operators.Eq => Where(n, i => v[i] == x),
            Operators.Ne => Where(n, i => !double.IsNaN(v[i]) && v[i] != x),
            Operators.Gt => Where(n, i => v[i] > x),
            Operators.Gte => Where(n, i => v[i] >= x),
            Operators.Lt => Where(n, i => v[i] < x),
            Operators.Lte => Where(n, i => v[i] <= x),
            _ => throw new InvalidOperationException($"operator {c.Operator}"),
        };
    }

    private static ulong[] Text(RuleCondition c, TextColumn column, int n)
    {
        var codes = column.Codes;
        switch (c.Operator)
        {
            case Operators.IsEmpty: return Where(n, i => codes[i] <= TextColumn.Empty);
            case Operators.IsNotEmpty: return Where(n, i => codes[i] > TextColumn.Empty);
        }
        // Values are never '' (RuleValues.Text), so NULL and '' match none of them, also for ne and not_in (as in SQL).
        var values = c.Operator is Operators.In or Operators.NotIn
            ? c.Values!.Select(v => RuleValues.Text(v)!).ToHashSet(StringComparer.Ordinal)
            : [RuleValues.Text(c.Value)!];
        var hit = new bool[column.Dictionary.Count];
        for (var k = 2; k < hit.Length; k++) hit[k] = values.Contains(column.Dictionary[k]);
        var positive = c.Operator is Operators.Eq or Operators.In;
        return positive
            ? Where(n, i => hit[codes[i]])
            : Where(n, i => codes[i] > TextColumn.Empty && !hit[codes[i]]);
    }

    private static ulong[] Time(RuleCondition c, RuleField field, long[] t, DateTime asOf, int n)
    {
        const long none = TimeColumn.None;
        var dateOnly = field.Kind == FieldKind.Date;
        switch (c.Operator)
        {
            case Operators.IsEmpty: return Where(n, i => t[i] == none);
            case Operators.IsNotEmpty: return Where(n, i => t[i] != none);
            case Operators.Before:
                var before = RuleValues.Date(c.Value)!.Value.ToDateTime(TimeOnly.MinValue).Ticks;
                return Where(n, i => t[i] != none && t[i] < before);
            case Operators.After:
                var after = RuleValues.Date(c.Value)!.Value.AddDays(1).ToDateTime(TimeOnly.MinValue).Ticks;
                return Where(n, i => t[i] != none && t[i] >= after);
        }
        var since = asOf.AddDays(-c.Days!.Value);
        var from = dateOnly ? DateOnly.FromDateTime(since).ToDateTime(TimeOnly.MinValue).Ticks : StoreTime.Parse(StoreTime.Format(since)).Ticks;
        return c.Operator switch
        {
            Operators.WithinDays => Where(n, i => t[i] != none && t[i] >= from),
            Operators.NotWithinDays => Where(n, i => t[i] != none && t[i] < from),
            _ => throw new InvalidOperationException($"operator {c.Operator}"),
        };
    }

    private static ulong[] Where(int n, Func<int, bool> test)
    {
        var bits = Words(n);
        for (var i = 0; i < n; i++)
            if (test(i)) bits[i >> 6] |= 1UL << (i & 63);
        return bits;
    }

    private static ulong[] Words(int n) => new ulong[(n + 63) / 64];

    private static ulong[] AllSet(int n)
    {
        var bits = Words(n);
        SetAll(bits, n);
        return bits;
    }

    private static void Set(ulong[] bits, int row) => bits[row >> 6] |= 1UL << (row & 63);

    private static void SetAll(ulong[] bits, int n)
    {
        Array.Fill(bits, ulong.MaxValue);
        Trim(bits, n);
    }

    private static void Invert(ulong[] bits, int n)
    {
        for (var i = 0; i < bits.Length; i++) bits[i] = ~bits[i];
        Trim(bits, n);
    }

    private static void Trim(ulong[] bits, int n)
    {
        if (n % 64 != 0) bits[^1] &= (1UL << (n % 64)) - 1;
    }
}
