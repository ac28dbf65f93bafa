using System.Globalization;
using CsvHelper;
using Workbench.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Playbook;

public sealed class StarterLibraryTests
{
    private static List<string> Column(string file, string column)
    {
        using var reader = new StreamReader(Path.Combine(AppFixture.RepositoryRoot, "sample-data", file));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var values = new List<string>();
        while (csv.Read()) values.Add(csv.GetField(column) ?? "");
        return values.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    // The sample's 12 product categories and 14 regions.
    private static readonly StarterInputs Inputs = new(Column("products.csv", "category"), Column("customers.csv", "region"), new DateOnly(2026, 12, 1));

    [Fact]
    public void Generate_AtLeast300Plays_EveryOneValidWithoutErrors()
    {
        var file = StarterLibrary.Generate(Inputs);
        Assert.Equal(12, Inputs.Categories.Count);
        Assert.True(file.Plays.Count >= 300, $"{file.Plays.Count} plays");
        var context = new PlayValidationContext(new HashSet<long>(), file.UseCases.Select(u => u.Id).ToHashSet());
        var errors = file.Plays.SelectMany(p => PlayValidator.Validate(p, context).Where(m => m.Severity == Severity.Error).Select(m => $"{p.Id}: {m}")).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(20)));
        Assert.Equal(file.Plays.Count, file.Plays.Select(p => p.Id).Distinct().Count());
        // Every objective has a use case with plays.
        var used = file.Plays.Select(p => p.UseCaseId).ToHashSet();
        Assert.Equal(Enum.GetValues<Objective>().Order(), file.UseCases.Where(u => used.Contains(u.Id)).Select(u => u.Objective).Distinct().Order());
    }

    [Fact]
    public void Generate_IsDeterministic()
    {
        Assert.Equal(PlaybookJson.Export(StarterLibrary.Generate(Inputs)), PlaybookJson.Export(StarterLibrary.Generate(Inputs)));
        var shuffled = Inputs with { Categories = Inputs.Categories.Reverse().ToList(), Regions = Inputs.Regions.Reverse().ToList() };
        Assert.Equal(PlaybookJson.Export(StarterLibrary.Generate(Inputs)), PlaybookJson.Export(StarterLibrary.Generate(shuffled)));
    }

    [Fact]
    public void Generate_TheRetailersCases()
    {
        var plays = StarterLibrary.Generate(Inputs).Plays.ToDictionary(p => p.Id);
        // Amazon: bought-together after a purchase, by e-mail; cart add-on recommendations.
        var post = plays["post-purchase-garden"];
        Assert.Equal(RecommendationRule.BoughtTogether, post.Recommendations!.Rule);
        Assert.Contains("email", post.Channels);
        Assert.Equal(RecommendationRule.BoughtTogether, plays["cart-addon-garden"].Recommendations!.Rule);
        // The European grocer: region × daypart micro-segments and the habitual-buyer rule.
        Assert.Equal(14 * 3, plays.Keys.Count(k => k.StartsWith("moment-", StringComparison.Ordinal)));
        var moment = plays["moment-greater-london-evening"];
        Assert.Equal(["evening"], moment.Audience.Context!.Dayparts);
        Assert.Equal(["Greater London"], moment.Audience.Context.Regions);
        var habitual = Assert.IsType<HabitualBuyerExclusion>(plays["occasional-grocery"].Audience.Exclusions.Single());
        Assert.True(plays["occasional-grocery"].Offer.IsDiscount);
        Assert.Equal((4, 8), (habitual.MinWeeks, habitual.WindowWeeks));
        // Nike: member-only offers and services.
        Assert.True(plays["members-early-fashion"].Offer.MembersOnly);
        Assert.Equal(OfferKind.MemberAccess, plays["members-service-gold"].Offer.Kind);
        // Sephora: the loyalty tier and the points in every message of every play.
        foreach (var play in plays.Values)
            foreach (var variant in play.Content.SelectMany(c => c.Variants))
            {
                var text = string.Concat(variant.Html, variant.Text, variant.Body);
                Assert.True(text.Contains("loyalty_tier", StringComparison.Ordinal) && text.Contains("points", StringComparison.Ordinal), $"{play.Id}/{variant.Name}");
            }
    }

    [Fact]
    public void Generate_RendersForASampleCustomer()
    {
        var plays = StarterLibrary.Generate(Inputs).Plays;
        var customer = TemplateVariables.Customer(PlaybookFixture.Prepare(PlaybookFixture.Customer(), PlaybookFixture.Now));
        foreach (var play in plays)
            foreach (var channel in play.Channels)
            {
                var m = PlayRenderer.Render(play, channel, null, customer, [])!;
                Assert.Empty(m.Problems);
                var shown = string.Concat(m.Subject, m.Html, m.Text, m.Title, m.Body);
                Assert.Contains("Silver", shown);
                Assert.DoesNotContain("{{", shown);
            }
    }
}
