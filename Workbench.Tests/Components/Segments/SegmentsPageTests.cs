using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Workbench.Core.Segments;
using Workbench.Features.Segments;
using Workbench.Tests.Core.Segments;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Segments;

public sealed class SegmentsPageTests : BunitContext, IAsyncLifetime
{
    private readonly HandMadeStore _data = new();
    private SegmentService _segments = null!;

    public async Task InitializeAsync()
    {
        await _data.InitializeAsync();
        _segments = SegmentServiceTests.Create(_data.Store, new FixedTime(SegmentFixture.AsOf));
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(_segments);
        Services.AddSingleton(TestJobs.WithSegments(_data.Store, _segments, new FixedTime(SegmentFixture.AsOf)));
        AddAuthorization().SetAuthorized("maria").SetPolicies(Workbench.Security.Access.Segments, Workbench.Security.Access.EditSegments);
        Render<MudPopoverProvider>();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _data.DisposeAsync();
    }

    [Fact]
    public void NoSegments_SaysSo_AndOffersTheTemplatesAndMicroSegments()
    {
        var page = Render<SegmentsPage>();
        page.WaitForAssertion(() => Assert.Contains("No segments yet", page.Find("[data-testid=segments-empty]").TextContent));
        Assert.Equal("/segments/new?template=frequent", page.Find("[data-testid=template-frequent]").GetAttribute("href"));
        Assert.Contains("London · evening", page.Find("[data-testid=micro-segments]").TextContent);
        Assert.Contains("Wales · morning", page.Find("[data-testid=micro-segments]").TextContent);
    }

    [Fact]
    public async Task RefreshAll_RunsTheMembershipsJobThroughThePipeline_RecordedWithWhoAsked()
    {
        var id = (await _segments.SaveAsync(new SegmentDraft(null, "Londoners", "", """{"conditions":[{"field":"region","operator":"eq","value":"London"}]}""", 0), "ann")).Id!.Value;
        var page = Render<SegmentsPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=segment-list] tbody tr")));

        await page.InvokeAsync(() => page.Find("[data-testid=refresh-all]").Click());

        var pipeline = Services.GetRequiredService<Workbench.Core.Jobs.JobPipeline>();
        page.WaitForAssertion(() =>
        {
            var recent = pipeline.OverviewAsync(10, CancellationToken.None).GetAwaiter().GetResult().Recent;
            var run = Assert.Single(recent);
            Assert.Equal((Workbench.Core.Jobs.SegmentMembershipsJob.JobName, Workbench.Core.Jobs.JobStatus.Succeeded, "maria", 1L),
                (run.Job, run.Status, run.RequestedBy, run.Rows ?? 0));
        }, TimeSpan.FromSeconds(30));
        // Saving evaluated it once; the refresh added the second point.
        page.WaitForAssertion(() => Assert.Equal(2, _segments.HistoryAsync(id).GetAwaiter().GetResult().Count), TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll("[data-testid=refresh-problem]"));
    }

    [Fact]
    public async Task TwoChosen_Compare_ShowsOverlapAndKpisSideBySide()
    {
        var london = (await _segments.SaveAsync(new SegmentDraft(null, "Londoners", "In London", """{"conditions":[{"field":"region","operator":"eq","value":"London"}]}""", 0), "ann")).Id;
        var big = (await _segments.SaveAsync(new SegmentDraft(null, "Big spenders", "", """{"conditions":[{"field":"net_revenue","operator":"gte","value":500}]}""", 0), "bob")).Id;
        await _segments.RefreshAllAsync();
        var page = Render<SegmentsPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=segment-list] tbody tr").Count));
        var rows = page.FindAll("[data-testid=segment-list] tbody tr");
        Assert.Contains("Big spenders", rows[0].TextContent);
        Assert.Contains("bob", rows[0].TextContent);
        Assert.Contains("Londoners", rows[1].TextContent);
        Assert.Equal("1", rows[0].QuerySelectorAll("td")[3].TextContent.Trim());

        await page.InvokeAsync(() => page.Find($"input[data-testid=choose-{london}]").Change(true));
        await page.InvokeAsync(() => page.Find($"input[data-testid=choose-{big}]").Change(true));
        await page.InvokeAsync(() => page.Find("[data-testid=compare]").Click());

        page.WaitForAssertion(() => page.Find("[data-testid=overlap]"));
        var overlap = page.FindAll("[data-testid=overlap] tbody tr").Select(r => r.TextContent.Replace(" ", "").Replace("\n", "")).ToList();
        Assert.Equal(["Bigspenders1(100%)1(100%)", "Londoners1(50%)2(100%)"], overlap);
        Assert.Contains("Revenue share", page.Find("[data-testid=compare-table]").TextContent);
    }
}
