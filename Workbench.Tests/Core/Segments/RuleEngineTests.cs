using System.Text.Json;
using Microsoft.Data.Sqlite;
using Workbench.Core.Segments;
using Workbench.Core.Segments.Rules;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Segments;

public sealed class HandMadeStore : IAsyncLifetime
{
    private static readonly DateTime T = SegmentFixture.AsOf;

    public TestStore Store { get; private set; } = null!;

    public List<CustomerFacts> Customers { get; } =
    [
        SegmentFixture.Customer("C1", new()
            {
                ["region"] = "London", ["loyalty_tier"] = "Gold", ["loyalty_points"] = 500.0, ["signup_date"] = new DateTime(2026, 11, 1),
                ["orders"] = 8.0, ["net_revenue"] = 900.0, ["recency_days"] = 5.0, ["m_score"] = 5.0, ["rfm_cell"] = "555",
                ["promo_share"] = 0.6, ["favourite_daypart"] = "evening", ["last_purchase_at"] = new DateTime(2026, 11, 17, 10, 0, 0),
            },
            categories: [("Home", new DateTime(2026, 11, 10))], events: [("cart_abandon", T.AddHours(-6))],
            consents: new() { ["email"] = "granted" }),
        SegmentFixture.Customer("C2", new()
            {
                ["region"] = "Wales", ["loyalty_tier"] = "Silver", ["loyalty_points"] = 100.0, ["signup_date"] = new DateTime(2025, 3, 1),
                ["orders"] = 1.0, ["net_revenue"] = 50.0, ["recency_days"] = 200.0, ["m_score"] = 2.0, ["rfm_cell"] = "111", ["promo_share"] = 0.0,
            },
            categories: [("Garden", new DateTime(2026, 5, 1))], events: [("email_open", new DateTime(2026, 10, 1))],
            consents: new() { ["email"] = "denied", ["sms"] = "granted" }),
        SegmentFixture.Customer("C3"),
        SegmentFixture.Customer("C4", new()
            {
                ["region"] = "London", ["orders"] = 3.0, ["net_revenue"] = 300.0, ["recency_days"] = 100.0, ["m_score"] = 4.0, ["rfm_cell"] = "543",
            },
            categories: [("Home", new DateTime(2026, 1, 1))],
            events: [("cart_abandon", T.AddHours(-48)), ("email_open", new DateTime(2026, 11, 21))]),
    ];

    public async Task InitializeAsync()
    {
        Store = await TestStore.CreateAsync();
        await SegmentFixture.WriteAsync(Store.Location.ConnectionString, Customers);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();
}

public sealed class RuleEngineTests(HandMadeStore fixture) : IClassFixture<HandMadeStore>
{
    [Theory]
    [InlineData("""{"conditions":[{"field":"region","operator":"eq","value":"London"}]}""", "C1,C4")]
    [InlineData("""{"conditions":[{"field":"region","operator":"ne","value":"London"}]}""", "C2")]
    [InlineData("""{"conditions":[{"field":"region","operator":"in","values":["Wales","London"]}]}""", "C1,C2,C4")]
    [InlineData("""{"conditions":[{"field":"region","operator":"not_in","values":["London"]}]}""", "C2")]
    [InlineData("""{"conditions":[{"field":"region","operator":"is_empty"}]}""", "C3")]
    [InlineData("""{"conditions":[{"field":"region","operator":"is_not_empty"}]}""", "C1,C2,C4")]
    [InlineData("""{"conditions":[{"field":"loyalty_points","operator":"gt","value":100}]}""", "C1")]
    [InlineData("""{"conditions":[{"field":"loyalty_points","operator":"gte","value":100}]}""", "C1,C2")]
    [InlineData("""{"conditions":[{"field":"loyalty_points","operator":"lt","value":500}]}""", "C2")]
    [InlineData("""{"conditions":[{"field":"loyalty_points","operator":"lte","value":500}]}""", "C1,C2")]
    [InlineData("""{"conditions":[{"field":"loyalty_points","operator":"eq","value":100}]}""", "C2")]
    [InlineData("""{"conditions":[{"field":"loyalty_points","operator":"ne","value":100}]}""", "C1")]
    [InlineData("""{"conditions":[{"field":"orders","operator":"between","values":[1,3]}]}""", "C2,C4")]
    [InlineData("""{"conditions":[{"field":"orders","operator":"eq","value":0}]}""", "C3")]
    [InlineData("""{"conditions":[{"field":"orders","operator":"lte","value":1}]}""", "C2,C3")]
    [InlineData("""{"conditions":[{"field":"recency_days","operator":"lte","value":30}]}""", "C1")]
    [InlineData("""{"conditions":[{"field":"recency_days","operator":"is_empty"}]}""", "C3")]
    [InlineData("""{"conditions":[{"field":"signup_date","operator":"within_days","days":30}]}""", "C1")]
    [InlineData("""{"conditions":[{"field":"signup_date","operator":"not_within_days","days":30}]}""", "C2")]
    [InlineData("""{"conditions":[{"field":"signup_date","operator":"before","value":"2026-01-01"}]}""", "C2")]
    [InlineData("""{"conditions":[{"field":"signup_date","operator":"after","value":"2025-03-01"}]}""", "C1")]
    [InlineData("""{"conditions":[{"field":"signup_date","operator":"is_empty"}]}""", "C3,C4")]
    [InlineData("""{"conditions":[{"field":"last_purchase_at","operator":"within_days","days":10}]}""", "C1")]
    [InlineData("""{"conditions":[{"field":"last_purchase_at","operator":"after","value":"2026-11-16"}]}""", "C1")]
    [InlineData("""{"conditions":[{"field":"last_purchase_at","operator":"after","value":"2026-11-17"}]}""", "")]
    [InlineData("""{"conditions":[{"field":"rfm_cell","operator":"in","values":["555","543"]}]}""", "C1,C4")]
    [InlineData("""{"conditions":[{"field":"favourite_daypart","operator":"eq","value":"evening"}]}""", "C1")]
    [InlineData("""{"conditions":[{"field":"bought_category","operator":"within","category":"Home","days":30}]}""", "C1")]
    [InlineData("""{"conditions":[{"field":"bought_category","operator":"within","category":"Home","days":365}]}""", "C1,C4")]
    [InlineData("""{"conditions":[{"field":"bought_category","operator":"not_within","category":"Home","days":30}]}""", "C2,C3,C4")]
    [InlineData("""{"conditions":[{"field":"event","operator":"within","type":"cart_abandon","hours":24}]}""", "C1")]
    [InlineData("""{"conditions":[{"field":"event","operator":"within","type":"cart_abandon","hours":49}]}""", "C1,C4")]
    [InlineData("""{"conditions":[{"field":"event","operator":"not_within","type":"email_open","days":90}]}""", "C1,C3")]
    [InlineData("""{"conditions":[{"field":"consent","operator":"is","channel":"email","value":"granted"}]}""", "C1")]
    [InlineData("""{"conditions":[{"field":"consent","operator":"is","channel":"email","value":"denied"}]}""", "C2")]
    [InlineData("""{"conditions":[{"field":"consent","operator":"is","channel":"email","value":"unknown"}]}""", "C3,C4")]
    [InlineData("""{"conditions":[{"field":"consent","operator":"is_not","channel":"email","value":"granted"}]}""", "C2,C3,C4")]
    public async Task Operator_OnHandMadeCustomers_SqlAndReferenceGiveTheExpectedMembers(string json, string expected) =>
        await AssertMembersAsync(json, expected);

    [Theory]
    [InlineData("""{"op":"or","conditions":[{"field":"region","operator":"eq","value":"Wales"}],"groups":[{"op":"and","conditions":[{"field":"region","operator":"eq","value":"London"},{"field":"orders","operator":"gte","value":5}]}]}""", "C1,C2")]
    [InlineData("""{"op":"and","conditions":[{"field":"m_score","operator":"gte","value":4}],"groups":[{"op":"or","conditions":[{"field":"recency_days","operator":"lte","value":30},{"field":"bought_category","operator":"within","category":"Home","days":365}]}]}""", "C1,C4")]
    [InlineData("""{"not":true,"conditions":[{"field":"region","operator":"eq","value":"London"}]}""", "C2,C3")]
    [InlineData("""{"not":true,"conditions":[{"field":"recency_days","operator":"lte","value":30}]}""", "C2,C3,C4")]
    [InlineData("""{"groups":[{"not":true,"op":"or","conditions":[{"field":"region","operator":"in","values":["Wales"]},{"field":"signup_date","operator":"before","value":"2026-01-01"}]}]}""", "C1,C3,C4")]
    [InlineData("""{"op":"and"}""", "C1,C2,C3,C4")]
    [InlineData("""{"op":"or"}""", "")]
    [InlineData("""{"op":"or","not":true}""", "C1,C2,C3,C4")]
    [InlineData("""{"op":"and","conditions":[{"field":"region","operator":"eq","value":"London"}],"groups":[{"op":"or"}]}""", "")]
    [InlineData("""{"op":"or","conditions":[{"field":"region","operator":"eq","value":"Wales"}],"groups":[{"op":"and"}]}""", "C1,C2,C3,C4")]
    public async Task Groups_NestingNotAndEmptyGroups_SqlAndReferenceGiveTheExpectedMembers(string json, string expected) =>
        await AssertMembersAsync(json, expected);

    private async Task AssertMembersAsync(string json, string expected)
    {
        var parsed = RuleJson.Parse(json);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Problems));
        var reference = fixture.Customers.Where(c => RuleEvaluator.Matches(parsed.Rule!, c, SegmentFixture.AsOf)).Select(c => c.CustomerId);
        Assert.Equal(expected, string.Join(",", reference));
        await using var connection = new SqliteConnection(fixture.Store.Location.ConnectionString);
        await connection.OpenAsync();
        var sql = await RuleQuery.IdsAsync(connection, RuleSqlCompiler.Compile(parsed.Rule!, SegmentFixture.AsOf), default);
        Assert.Equal(expected, string.Join(",", sql));
    }

    [Fact]
    public void Compile_ValuesAreParameters_NeverPartOfTheSql()
    {
        var rule = RuleJson.Parse("""{"conditions":[{"field":"region","operator":"eq","value":"x' OR 1=1 --"}]}""").Rule!;
        var compiled = RuleSqlCompiler.Compile(rule, SegmentFixture.AsOf);
        Assert.DoesNotContain("OR 1=1", compiled.Where);
        Assert.Contains(compiled.Parameters, p => (string)p.Value == "x' OR 1=1 --");
        Assert.False(compiled.UsesFeatures);
    }

    [Theory]
    [InlineData("""{"conditions":[{"field":"region","operator":"eq","value":"London"},{"field":"recency_days","operator":"lte","value":"soon"}]}""", "condition 2 of group 1: 'recency_days' needs a number")]
    [InlineData("""{"groups":[{},{"conditions":[{"field":"shoe_size","operator":"eq","value":9}]}]}""", "condition 1 of group 1.2: unknown field 'shoe_size'")]
    [InlineData("""{"conditions":[{"field":"region","operator":"gt","value":"A"}]}""", "condition 1 of group 1: 'region' does not take operator 'gt' (use eq, ne, in, not_in, is_empty, is_not_empty)")]
    [InlineData("""{"conditions":[{"field":"orders","operator":"between","values":[5,1]}]}""", "condition 1 of group 1: 'orders' between needs the low bound first")]
    [InlineData("""{"conditions":[{"field":"region","operator":"in","values":[]}]}""", "condition 1 of group 1: 'region' needs a list of one or more values")]
    [InlineData("""{"conditions":[{"field":"signup_date","operator":"before","value":"01/02/2026"}]}""", "condition 1 of group 1: 'signup_date' needs a date like 2026-03-01")]
    [InlineData("""{"conditions":[{"field":"bought_category","operator":"within","days":30}]}""", "condition 1 of group 1: 'bought_category' needs a category")]
    [InlineData("""{"conditions":[{"field":"event","operator":"within","type":"cart_abandon"}]}""", "condition 1 of group 1: 'event' needs a window in days or hours (a whole number ≥ 0)")]
    [InlineData("""{"conditions":[{"field":"consent","operator":"is","channel":"fax","value":"granted"}]}""", "condition 1 of group 1: 'consent' needs a channel (email, sms, push, app, mail)")]
    [InlineData("""{"op":"xor"}""", "group 1: op must be 'and' or 'or', not 'xor'")]
    public void Parse_InvalidRule_NamesWhereAndWhat(string json, string problem)
    {
        var parsed = RuleJson.Parse(json);
        Assert.False(parsed.IsValid);
        Assert.Equal([problem], parsed.Problems);
    }

    [Fact]
    public void Parse_NotJsonOrUnknownProperty_SaysSo()
    {
        Assert.StartsWith("not a rule:", RuleJson.Parse("{").Problems.Single());
        // The serializer's own messages name .NET types; the rule's messages never do.
        foreach (var json in new[] { "{", "[1]", """{"op":1}""", """{"conditions":{"field":"x"}}""", """{"op":"and","colour":"red"}""", """{"conditions":[{"days":"many"}]}""" })
        {
            var problem = RuleJson.Parse(json).Problems.Single();
            Assert.DoesNotContain("Workbench.", problem);
            Assert.DoesNotContain("System.", problem);
            Assert.DoesNotContain("RuleGroup", problem);
            Assert.DoesNotContain("RuleCondition", problem);
            Assert.DoesNotContain(".NET", problem);
        }
        Assert.Equal("not a rule: a value of the wrong kind at $.op (line 1, position 8) (a list, text, number or true/false where another is needed)",
            RuleJson.Parse("""{"op":1}""").Problems.Single());
        Assert.StartsWith("not a rule:", RuleJson.Parse("""{"op":"and","colour":"red"}""").Problems.Single());
    }

    [Fact]
    public void Serialize_RoundTrips()
    {
        const string json = """{"op":"or","not":true,"conditions":[{"field":"orders","operator":"between","values":[1,3]},{"field":"event","operator":"within","type":"cart_abandon","hours":48}],"groups":[{"op":"and","not":false,"conditions":[],"groups":[]}]}""";
        Assert.Equal(json, RuleJson.Serialize(RuleJson.Parse(json).Rule!));
    }
}
