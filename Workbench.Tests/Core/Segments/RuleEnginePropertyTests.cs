using Microsoft.Data.Sqlite;
using Workbench.Core.Segments;
using Workbench.Core.Segments.Rules;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Segments;

public sealed class RuleEnginePropertyTests
{
    [Fact]
    public async Task Compile_RandomRulesOnRandomCustomers_SqlMembersEqualTheReferenceEvaluation()
    {
        await using var store = await TestStore.CreateAsync();
        var customers = SegmentFixture.Random(400, seed: 7);
        await SegmentFixture.WriteAsync(store.Location.ConnectionString, customers);
        await using var connection = new SqliteConnection(store.Location.ConnectionString);
        await connection.OpenAsync();

        var generator = new RandomRules(seed: 11);
        var sizes = new List<int>();
        for (var i = 0; i < 300; i++)
        {
            var rule = generator.Group(depth: 0);
            var json = RuleJson.Serialize(rule);
            Assert.True(RuleJson.Parse(json).IsValid, json + ": " + string.Join("; ", RuleJson.Parse(json).Problems));
            var expected = customers.Where(c => RuleEvaluator.Matches(rule, c, SegmentFixture.AsOf)).Select(c => c.CustomerId).ToList();
            var compiled = RuleSqlCompiler.Compile(rule, SegmentFixture.AsOf);
            var actual = await RuleQuery.IdsAsync(connection, compiled, default);
            Assert.True(expected.SequenceEqual(actual), $"rule {i}: {json}\nreference {expected.Count}, SQL {actual.Count}\n{compiled.Where}");
            Assert.Equal(expected.Count, await RuleQuery.CountAsync(connection, compiled, default));
            sizes.Add(expected.Count);
        }
        // The generator must produce rules that split the customers, not only everyone or no one.
        Assert.True(sizes.Count(s => s > 0 && s < customers.Count) > 150, string.Join(",", sizes));
    }
}

// Seeded random rules over the catalog, with values drawn from the ones the fixture uses so conditions hit.
public sealed class RandomRules(int seed)
{
    private readonly Random _r = new(seed);

    public RuleGroup Group(int depth)
    {
        var g = new RuleGroup { Op = _r.Next(2) == 0 ? RuleOps.And : RuleOps.Or, Not = _r.NextDouble() < 0.25 };
        var conditions = _r.Next(depth == 0 ? 1 : 0, 4);
        for (var i = 0; i < conditions; i++) g.Conditions.Add(Condition());
        var groups = depth < 3 ? _r.Next(0, 3 - depth) : 0;
        for (var i = 0; i < groups; i++) g.Groups.Add(Group(depth + 1));
        return g;
    }

    public RuleCondition Condition()
    {
        var field = FieldCatalog.All[_r.Next(FieldCatalog.All.Count)];
        var op = field.Operators[_r.Next(field.Operators.Count)];
        var c = new RuleCondition { Field = field.Id, Operator = op };
        switch (field.Kind)
        {
            case FieldKind.BoughtCategory:
                c.Category = Pick(SegmentFixture.Categories);
                c.Days = _r.Next(0, 450);
                break;
            case FieldKind.Event:
                c.Type = Pick(SegmentFixture.EventTypes);
                if (_r.Next(2) == 0) c.Hours = _r.Next(0, 100); else c.Days = _r.Next(0, 220);
                break;
            case FieldKind.Consent:
                c.Channel = Pick(["email", "sms", "push", "app", "mail"]);
                c.Value = RuleValues.Of(Pick([.. FieldCatalog.ConsentStates]));
                break;
            case FieldKind.Number when op == Operators.Between:
                var a = Number(field.Id);
                var b = Number(field.Id);
                c.Values = [RuleValues.Of(Math.Min(a, b)), RuleValues.Of(Math.Max(a, b))];
                break;
            case FieldKind.Number when op is not (Operators.IsEmpty or Operators.IsNotEmpty):
                c.Value = RuleValues.Of(Number(field.Id));
                break;
            case FieldKind.Text or FieldKind.Choice when op is Operators.In or Operators.NotIn:
                c.Values = Enumerable.Range(0, _r.Next(1, 4)).Select(_ => RuleValues.Of(Text(field))).ToList();
                break;
            case FieldKind.Text or FieldKind.Choice when op is Operators.Eq or Operators.Ne:
                c.Value = RuleValues.Of(Text(field));
                break;
            case FieldKind.Date or FieldKind.DateTime when op is Operators.WithinDays or Operators.NotWithinDays:
                c.Days = _r.Next(0, 800);
                break;
            case FieldKind.Date or FieldKind.DateTime when op is Operators.Before or Operators.After:
                var day = DateOnly.FromDateTime(field.Id == "birth_date" ? new DateTime(1950, 1, 1).AddDays(_r.Next(20000)) : SegmentFixture.AsOf.AddDays(-_r.Next(0, 800)));
                c.Value = RuleValues.Of(day.ToString("yyyy-MM-dd"));
                break;
        }
        return c;
    }

    private double Number(string id) => id switch
    {
        "orders" or "category_count" or "email_opens_90d" or "email_clicks_90d" or "favourite_weekday" => _r.Next(0, 8),
        "r_score" or "f_score" or "m_score" => _r.Next(1, 6),
        "promo_share" or "store_share" or "web_share" or "app_share" => _r.Next(0, 5) / 4.0,
        "returns_rate" => _r.Next(0, 5) / 8.0,
        "probability_alive" => _r.Next(0, 11) / 10.0,
        "loyalty_points" => _r.Next(0, 5) * 100,
        "net_revenue" => _r.Next(0, 4000) / 2.0,
        "predicted_value_12m" => _r.Next(0, 60) * 25,
        _ => _r.Next(0, 400),
    };

    private string Text(RuleField field) => field.Id switch
    {
        "region" => Pick(SegmentFixture.Regions.Where(x => x != "").ToArray()),
        "loyalty_tier" => Pick(SegmentFixture.Tiers),
        "rfm_cell" => Pick(SegmentFixture.Cells),
        "top_category_1" => Pick(SegmentFixture.Categories),
        "city" => Pick(["Leeds", "Cardiff", "Dublin", "Cork"]),
        "country" => Pick(["GB", "IE"]),
        "gender" => Pick(["F", "M", "X"]),
        "home_store" => Pick(["S01", "S02"]),
        _ => field.Choices is { Count: > 0 } choices ? choices[_r.Next(choices.Count)] : "x",
    };

    private T Pick<T>(T[] items) => items[_r.Next(items.Length)];
}
