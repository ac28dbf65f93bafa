using Microsoft.Extensions.DependencyInjection;
using Bunit;
using Workbench.Core.Playbook;
using Workbench.Features.Playbook;
using Workbench.Tests.Core.Segments;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Playbook;

// The store and moment of PlayPreviewPageTests. The starter library for it: 17 plays per category × 2 categories,
// 4 per region × 4 regions (North West, London, Wales, Leinster), 11 per tier × 4 tiers = 34 + 16 + 44 = 94, all active.
public sealed class CustomerPlaysPanelTests : StorePageContext
{
    protected override TimeProvider? Clock => new FixedTime(PlayPreviewPageTests.At);

    protected override async Task ArrangeAsync(TestStore store)
    {
        await QualityFixture.LoadAsync(store, plant: false);
        Use<PlaybookPreviewService>();
        Use<PlaybookStore>();
        // The starter library for this store, as the app seeds it with the sample data.
        var previews = store.Services.GetRequiredService<PlaybookPreviewService>();
        var seeded = await store.Services.GetRequiredService<PlaybookStore>().SeedAsync(await previews.StarterAsync(default), "test", default);
        Assert.True(seeded is { Imported: true }, string.Join("; ", seeded?.Problems ?? []));
    }

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private IRenderedComponent<CustomerPlaysPanel> RenderFor(string id)
    {
        var panel = Render<CustomerPlaysPanel>(p => p.Add(x => x.CustomerId, id));
        panel.WaitForAssertion(() => panel.Find("[data-testid=plays-summary]"), Wait);
        return panel;
    }

    [Fact]
    public void Panel_EligiblePlay_LinksToItsPreview_AndExpandsToTheRenderedMessage()
    {
        var panel = RenderFor("Q1");
        Assert.Equal("decisioning/why?customer=Q1", panel.Find("[data-testid=plays-why]").GetAttribute("href"));

        var row = panel.Find("[data-testid=eligible-play][data-play=double-points-furniture]");
        Assert.Equal("playbook/preview?play=double-points-furniture&customer=Q1", row.QuerySelector("[data-testid=play-link]")!.GetAttribute("href"));
        Assert.Empty(row.QuerySelectorAll("iframe"));

        row.QuerySelector("[data-testid=toggle-play]")!.Click();

        var frame = panel.Find("[data-testid=eligible-play][data-play=double-points-furniture] iframe");
        Assert.Equal("", frame.GetAttribute("sandbox"));
        Assert.Contains("Hi Ann", frame.GetAttribute("srcdoc"));
        Assert.Contains("of 94 active plays would reach this customer now", panel.Find("[data-testid=plays-summary]").TextContent);
    }

    [Fact]
    public async Task Panel_CustomerWhoDeniedEmailAndGaveNoOtherConsent_EveryPlayBlockedByConsent_ShowAllListsThemAll()
    {
        // Q4 denied email and recorded nothing for sms, push or app: the consent is the first rule each play fails.
        var panel = RenderFor("Q4");

        Assert.Contains("0 of 94 active plays would reach this customer now", panel.Find("[data-testid=plays-summary]").TextContent);
        Assert.NotNull(panel.Find("[data-testid=plays-none-eligible]"));
        var shown = panel.FindAll("[data-testid=blocked-play]");
        Assert.Equal(10, shown.Count);
        Assert.All(shown, r => Assert.Equal(nameof(ReasonKind.Consent), r.GetAttribute("data-kind")));

        await panel.InvokeAsync(() => panel.Find("[data-testid=blocked-show-all]").Click());
        Assert.Equal(94, panel.FindAll("[data-testid=blocked-play]").Count);
        var email = panel.Find("[data-testid=blocked-play][data-play=double-points-furniture]");
        Assert.Contains("consent for email granted", email.TextContent);
        Assert.Contains("denied on 2026-01-01", email.TextContent);
    }
}
