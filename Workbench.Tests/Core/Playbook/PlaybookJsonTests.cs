using System.Text.Json;
using Workbench.Core.Playbook;
using Workbench.Core.Segments.Rules;
using static Workbench.Tests.Core.Playbook.PlaybookFixture;

namespace Workbench.Tests.Core.Playbook;

public sealed class PlaybookJsonTests
{
    private static PlaybookFile Library() => StarterLibrary.Generate(new StarterInputs(["Garden", "Curtains & Textiles"], ["Wales"], new DateOnly(2026, 12, 1)));

    [Fact]
    public void ExportImportExport_IsExact()
    {
        var json = PlaybookJson.Export(Library());
        var imported = PlaybookJson.Import(json);
        Assert.True(imported.IsValid, string.Join("; ", imported.Problems));
        Assert.Equal(json, PlaybookJson.Export(imported.File!));
        // Play by play, value for value (records compare their lists by reference, so compare each play's JSON).
        Assert.Equal(Library().Plays.Select(PlaybookJson.Serialize), imported.File!.Plays.Select(PlaybookJson.Serialize));
        Assert.Equal(Library().UseCases, imported.File.UseCases);
        var first = imported.File.Plays[0];
        Assert.Equal(Library().Plays[0].Offer, first.Offer);
        Assert.Equal(Library().Plays[0].Trigger, first.Trigger);
    }

    [Fact]
    public void Export_EnumsAsStrings_KindsNamed_StableOrder()
    {
        var play = Play() with
        {
            Status = PlayStatus.InReview,
            Trigger = new EventTrigger("cart_abandon", null, 120, PurchaseCheck.Any, 24),
            Audience = new Audience([4], SegmentMatch.All, new RuleGroup { Conditions = [Cond("orders", Operators.Gte, 2.0)] },
                [new HabitualBuyerExclusion("Grocery", 3, 8)], new ContextConditions([DayOfWeek.Monday], ["morning"], null, null)),
            Offer = new Offer(OfferKind.PercentOff, "10%", 10, ValidTo: new DateOnly(2026, 12, 31)),
        };
        var json = PlaybookJson.Serialize(play);
        Assert.Contains("\"status\": \"in_review\"", json);
        Assert.Contains("\"kind\": \"event\"", json);
        Assert.Contains("\"withoutPurchase\": \"any\"", json);
        Assert.Contains("\"kind\": \"habitual_buyer\"", json);
        Assert.Contains("\"kind\": \"percent_off\"", json);
        Assert.Contains("\"validTo\": \"2026-12-31\"", json);
        Assert.Contains("\"weekdays\": [\n        \"monday\"", json);
        var order = new[] { "\"id\"", "\"name\"", "\"useCaseId\"", "\"owner\"", "\"status\"", "\"version\"", "\"trigger\"", "\"audience\"", "\"offer\"", "\"content\"", "\"channels\"", "\"priority\"" }
            .Select(k => json.IndexOf(k, StringComparison.Ordinal)).ToList();
        Assert.Equal(order.Order(), order);
        var back = PlaybookJson.Import(PlaybookJson.Export(new PlaybookFile(1, [], [play]))).File!.Plays.Single();
        Assert.Equal(json, PlaybookJson.Serialize(back));
        Assert.Equal(play.Trigger, back.Trigger);
    }

    [Fact]
    public void Import_BadInput_NamesWhereAndWhat()
    {
        var json = PlaybookJson.Export(new PlaybookFile(1, [], [Play()]));
        var typo = PlaybookJson.Import(json.Replace("\"cooldownDays\"", "\"coolDown\"", StringComparison.Ordinal));
        Assert.False(typo.IsValid);
        Assert.Contains("a property a play does not have", typo.Problems.Single());
        Assert.Contains("line ", typo.Problems.Single());
        var kind = PlaybookJson.Import(json.Replace("\"kind\": \"scheduled\"", "\"kind\": \"hourly\"", StringComparison.Ordinal));
        Assert.Contains("\"kind\"", kind.Problems.Single());
        var status = PlaybookJson.Import(json.Replace("\"status\": \"active\"", "\"status\": \"live\"", StringComparison.Ordinal));
        Assert.False(status.IsValid);
        Assert.Contains("$.plays[0].status", status.Problems.Single());
        Assert.Contains("not valid JSON", PlaybookJson.Import("{ \"format\": 1, ").Problems.Single());
        var missing = PlaybookJson.Import(json.Replace("\"name\": \"Test play\",", "", StringComparison.Ordinal));
        Assert.False(missing.IsValid);
        Assert.Contains("a required property is missing", missing.Problems.Single());
        Assert.Contains("'name'", missing.Problems.Single());
        var dup = PlaybookJson.Import(PlaybookJson.Export(new PlaybookFile(1, [], [Play(), Play()])));
        Assert.Equal("play id 'p1' appears 2 times; ids must be unique", dup.Problems.Single());
        Assert.Contains("format 2", PlaybookJson.Import(json.Replace("\"format\": 1", "\"format\": 2", StringComparison.Ordinal)).Problems.Single());
    }

    [Fact]
    public void RuleConditionsInsideAPlay_RoundTripTheirJsonValues()
    {
        var rule = new RuleGroup { Op = RuleOps.Or, Conditions = [Cond("loyalty_tier", Operators.In), Cond("net_revenue", Operators.Between)] };
        rule.Conditions[0].Values = [RuleValues.Of("Gold"), RuleValues.Of("Platinum")];
        rule.Conditions[1].Values = [RuleValues.Of(10.5), RuleValues.Of(1e6)];
        var play = Play() with { Audience = new Audience([], SegmentMatch.Any, rule, [], null) };
        var json = PlaybookJson.Serialize(play);
        var back = PlaybookJson.Import(PlaybookJson.Export(new PlaybookFile(1, [], [play]))).File!.Plays[0];
        Assert.Equal(json, PlaybookJson.Serialize(back));
        Assert.Equal(JsonValueKind.Number, back.Audience.Conditions!.Conditions[1].Values![1].ValueKind);
        Assert.Equal(RuleSqlCompiler.Compile(rule, Now).Where, RuleSqlCompiler.Compile(back.Audience.Conditions, Now).Where);
    }

    [Fact]
    public void Copy_IsEqualInJson_AndSharesNoRuleGroup()
    {
        var play = PlaybookFixture.Play() with
        {
            Audience = new Audience([1], SegmentMatch.Any, new Workbench.Core.Segments.Rules.RuleGroup { Conditions = [PlaybookFixture.Cond("orders", "gte", 2)] }, [], null),
        };
        var copy = PlaybookJson.Copy(play);
        Assert.Equal(PlaybookJson.Serialize(play), PlaybookJson.Serialize(copy));
        copy.Audience.Conditions!.Conditions.Clear();
        Assert.Single(play.Audience.Conditions!.Conditions);
    }
}
