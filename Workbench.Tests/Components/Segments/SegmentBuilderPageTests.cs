using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Workbench.Core.Segments;
using Workbench.Features.Segments;
using Workbench.Tests.Core.Segments;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Segments;

public sealed class SegmentBuilderPageTests : BunitContext, IAsyncLifetime
{
    private readonly HandMadeStore _data = new();
    private SegmentService _segments = null!;
    private Bunit.TestDoubles.BunitAuthorizationContext _auth = null!;

    public async Task InitializeAsync()
    {
        await _data.InitializeAsync();
        _segments = SegmentServiceTests.Create(_data.Store, new FixedTime(SegmentFixture.AsOf));
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(_segments);
        Services.AddSingleton(TestJobs.WithSegments(_data.Store, _segments, new FixedTime(SegmentFixture.AsOf)));
        _auth = AddAuthorization();
        _auth.SetAuthorized("maria").SetPolicies(Workbench.Security.Access.Segments, Workbench.Security.Access.EditSegments);
        Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _data.DisposeAsync();
    }

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SavedSegment_ForARoleThatMayOnlyLook_HasNoSaveOrDelete()
    {
        var id = (await _segments.SaveAsync(new SegmentDraft(null, "Everyone", "", """{"op":"and"}""", 0), "ann")).Id!.Value;
        _auth.SetPolicies(Workbench.Security.Access.Segments);

        var page = Render<SegmentBuilderPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=export-csv]")), Wait);
        Assert.Empty(page.FindAll("[data-testid=save-segment]"));
        Assert.Empty(page.FindAll("[data-testid=delete-segment]"));
    }

    private IRenderedComponent<SegmentBuilderPage> RenderNew(string? template = null)
    {
        if (template is not null) Services.GetRequiredService<NavigationManager>().NavigateTo($"/segments/new?template={template}");
        return Render<SegmentBuilderPage>();
    }

    private static void AssertCount(IRenderedComponent<SegmentBuilderPage> page, string expected) =>
        page.WaitForAssertion(() => Assert.Equal(expected, page.Find("[data-testid=live-count]").TextContent.Trim()), Wait);

    private static Task Choose(IRenderedComponent<SegmentBuilderPage> page, string testId, string value, int index = 0) =>
        page.InvokeAsync(() => page.FindComponents<MudSelect<string>>()
            .Where(s => s.Find("div").ParentElement!.OuterHtml.Contains($"data-testid=\"{testId}\"")).ElementAt(index)
            .Instance.ValueChanged.InvokeAsync(value));

    [Fact]
    public async Task New_EmptyRule_CountsEveryCustomer_AndSaysWhatAnEmptyGroupMeans()
    {
        var page = RenderNew();
        AssertCount(page, "4");
        Assert.Contains("No conditions: matches every customer.", page.Find("[data-testid=group-empty]").TextContent);
        page.WaitForAssertion(() => Assert.Contains("100.0% of 4 customers", page.Find("[data-testid=live-share]").TextContent), Wait);
    }

    [Fact]
    public async Task AddCondition_FieldAndValue_TheCountFollows_AndTheSampleLinksToProfiles()
    {
        var page = RenderNew();
        AssertCount(page, "4");

        await page.InvokeAsync(() => page.Find("[data-testid=add-condition-1] ").Click());
        page.WaitForAssertion(() => Assert.Contains("no field chosen", page.Find("[data-testid=rule-problems]").TextContent), Wait);
        await Choose(page, "field-select", "region");
        page.WaitForAssertion(() => Assert.Contains("'region' needs a text value", page.Find("[data-testid=condition-problem]").TextContent), Wait);
        await page.InvokeAsync(() => page.Find("input[data-testid=value-text]").Input("London"));

        AssertCount(page, "2");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=sample] a").Count), Wait);
        var links = page.FindAll("[data-testid=sample] a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["/customers/C1", "/customers/C4"], links);
        Assert.Equal("1 (50%)", page.Find("[data-testid=reach-email]").TextContent.Trim());
        Assert.Equal("96.0%", page.Find("[data-testid=kpi-revenue-share]").TextContent.Trim());

        await page.InvokeAsync(() => page.Find("[data-testid=remove-condition]").Click());
        AssertCount(page, "4");
    }

    [Fact]
    public async Task Template_LapsingHighValue_PrefillsTheRule_AndTheOrToggleWidensIt()
    {
        var page = RenderNew("lapsing-high-value");
        AssertCount(page, "1");
        Assert.Equal("Lapsing high-value", page.Find("input[data-testid=segment-name]").GetAttribute("value"));
        Assert.Contains("M score ≥ 4 and last purchase 90 to 270 days ago.", page.Find("[data-testid=template-note]").TextContent);
        Assert.Equal(2, page.FindAll("[data-testid=condition]").Count);

        await page.InvokeAsync(() => page.Find("[data-testid=op-or]").Click());
        AssertCount(page, "3");

        await page.InvokeAsync(() => page.Find("input[data-testid=group-not]").Change(true));
        AssertCount(page, "1");
    }

    [Fact]
    public async Task AddGroup_NestedEmptyAnyGroup_MatchesNoOne()
    {
        var page = RenderNew();
        AssertCount(page, "4");
        // Find and click in one dispatch: the count's re-render may replace the button in between.
        await page.InvokeAsync(() => page.Find("[data-testid=add-group-1]").Click());
        AssertCount(page, "0");
        Assert.Contains("an empty 'any' group matches no one", page.Find("[data-testid=group-1\\.1]").TextContent);
        await page.InvokeAsync(() => page.Find("[data-testid=group-1\\.1] [data-testid=remove-group]").Click());
        AssertCount(page, "4");
    }

    [Fact]
    public async Task FeaturesNotComputed_FeatureTemplate_ShowsTheNoticeInsteadOfASilentZero()
    {
        await _data.Store.RowsAsync("DELETE FROM customer_features");
        var page = RenderNew("frequent");
        AssertCount(page, "0");
        Assert.Contains("conditions on features (orders, RFM, predicted value…) match no one", page.Find("[data-testid=features-missing]").TextContent);
    }

    [Fact]
    public async Task Save_NewSegment_IsStoredWithTheUserAsOwner()
    {
        var page = RenderNew("one-time");
        AssertCount(page, "1");
        await page.InvokeAsync(() => page.Find("input[data-testid=segment-name]").Input("Single buyers"));

        await page.InvokeAsync(() => page.Find("[data-testid=save-segment]").Click());

        page.WaitForAssertion(() => Assert.EndsWith("/segments/1", Services.GetRequiredService<NavigationManager>().Uri), Wait);
        var saved = Assert.Single(await _segments.ListAsync());
        Assert.Equal(("Single buyers", "maria", 1), (saved.Name, saved.Owner, saved.Version));
    }

    [Fact]
    public async Task Save_SomeoneElseSavedMeanwhile_IsRefusedWithTheirName()
    {
        var id = (await _segments.SaveAsync(new SegmentDraft(null, "Londoners", "", """{"conditions":[{"field":"region","operator":"eq","value":"London"}]}""", 0), "ann")).Id!.Value;
        var page = Render<SegmentBuilderPage>(p => p.Add(x => x.Id, id));
        AssertCount(page, "2");
        Assert.Contains("Owner ann · version 1", page.Find("[data-testid=segment-meta]").TextContent);
        await _segments.SaveAsync(new SegmentDraft(id, "Londoners", "changed by bob", """{"conditions":[{"field":"region","operator":"eq","value":"London"}]}""", 1), "bob");

        await page.InvokeAsync(() => page.Find("input[data-testid=segment-description]").Input("mine"));
        await page.InvokeAsync(() => page.Find("[data-testid=save-segment]").Click());

        page.WaitForAssertion(() => Assert.StartsWith("Not saved: bob saved version 2", page.Find("[data-testid=save-problem]").TextContent.Trim()), Wait);
    }

    [Fact]
    public async Task Saved_ShowsVersionsAndHistory_AndAnEditSavesANewVersion()
    {
        var id = (await _segments.SaveAsync(new SegmentDraft(null, "Londoners", "", """{"conditions":[{"field":"region","operator":"eq","value":"London"}]}""", 0), "ann")).Id!.Value;
        var page = Render<SegmentBuilderPage>(p => p.Add(x => x.Id, id));
        AssertCount(page, "2");
        // Saving evaluated the members: the history has its first point without a refresh.
        page.WaitForAssertion(() => page.Find("[data-testid=history-chart]"), Wait);
        Assert.Single(await _segments.HistoryAsync(id));

        // Find and click in one dispatch: the buttons sit in AuthorizeViews that may re-render in between.
        await page.InvokeAsync(() => page.Find("[data-testid=refresh-now]").Click());
        page.WaitForAssertion(() => Assert.Equal(2, _segments.HistoryAsync(id).GetAwaiter().GetResult().Count), Wait);
        Assert.Equal($"/api/segments/{id}/history.csv", page.Find("[data-testid=segment-history-csv]").GetAttribute("href"));

        await page.InvokeAsync(() => page.Find("input[data-testid=value-text]").Input("Wales"));
        AssertCount(page, "1");
        await page.InvokeAsync(() => page.Find("[data-testid=save-segment]").Click());
        page.WaitForAssertion(() => Assert.Equal("Saved as version 2.", page.Find("[data-testid=save-ok]").TextContent), Wait);
        Assert.Contains("rule edited (1 condition(s))", page.Find("[data-testid=versions]").TextContent);
    }

    [Fact]
    public async Task ValueEditors_ConsentAndEvent_EditTheConditionAndTheCountFollows()
    {
        var page = RenderNew();
        AssertCount(page, "4");
        await page.InvokeAsync(() => page.Find("[data-testid=add-condition-1]").Click());
        await Choose(page, "field-select", "consent");
        AssertCount(page, "1");
        await Choose(page, "value-status", "unknown");
        AssertCount(page, "2");

        await Choose(page, "field-select", "event");
        await page.InvokeAsync(() => page.Find("input[data-testid=value-subject]").Input("cart_abandon"));
        AssertCount(page, "2");
        await Choose(page, "value-unit", "hours");
        await page.InvokeAsync(() => page.Find("input[data-testid=value-window]").Change("24"));
        AssertCount(page, "1");

        await Choose(page, "operator-select", "not_within");
        AssertCount(page, "3");
    }

    [Fact]
    public async Task Delete_Confirmed_RemovesTheSegmentAndGoesBackToTheList()
    {
        var id = (await _segments.SaveAsync(new SegmentDraft(null, "Londoners", "", """{"conditions":[{"field":"region","operator":"eq","value":"London"}]}""", 0), "ann")).Id!.Value;
        var page = Render<SegmentBuilderPage>(p => p.Add(x => x.Id, id));
        AssertCount(page, "2");

        await page.InvokeAsync(() => page.Find("[data-testid=delete-segment]").Click());
        _dialogs.WaitForAssertion(() => Assert.Contains("Delete “Londoners”", _dialogs.Markup), Wait);
        _dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        page.WaitForAssertion(() => Assert.EndsWith("/segments", Services.GetRequiredService<NavigationManager>().Uri), Wait);
        Assert.Empty(await _segments.ListAsync());
    }

    [Fact]
    public void UnknownSegment_SaysSo()
    {
        var page = Render<SegmentBuilderPage>(p => p.Add(x => x.Id, 42L));
        page.WaitForAssertion(() => Assert.Contains("There is no segment 42", page.Find("[data-testid=segment-not-found]").TextContent), Wait);
    }
}
