using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Quality;
using Workbench.Features.Quality;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Quality;

public sealed class QualityPagesTests : StorePageContext
{
    protected override async Task ArrangeAsync(TestStore store)
    {
        await QualityFixture.LoadAsync(store);
        Use<QualityService>();
    }

    [Fact]
    public void RecordsPage_ListsTheOffendersWithProfileLinks()
    {
        var page = Render<QualityRecordsPage>(p => p.Add(x => x.Rule, "duplicate-email"));

        page.WaitForAssertion(() => Assert.Equal("1 records", page.Find("#records-total").TextContent), TimeSpan.FromSeconds(30));
        Assert.Equal("customers/Q2", page.Find("#quality-records td a").GetAttribute("href"));
        Assert.Contains("customers/Q1", page.FindAll("#quality-records td a").Select(a => a.GetAttribute("href")));
        Assert.Equal("api/quality/duplicate-email.csv", page.Find("#export-records").GetAttribute("href"));
    }

    [Fact]
    public void RecordsPage_UnknownCheck_SaysSo()
    {
        var page = Render<QualityRecordsPage>(p => p.Add(x => x.Rule, "nonsense"));

        page.WaitForAssertion(() => Assert.Contains("No quality check is called nonsense", page.Find("#unknown-check").TextContent));
    }

    [Fact]
    public async Task QualityPage_ShowsScoreDefinitionAndEveryCheckWithItsCount()
    {
        var page = Render<DataQualityPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#quality-checks")), TimeSpan.FromSeconds(30));
        // The page opens on the figures recorded after the last import, before the fixture planted the orphan line.
        Assert.Equal("0", page.Find("tr[data-check=orphan-line-customer] [data-offenders]").GetAttribute("data-offenders"));
        await page.InvokeAsync(() => page.Find("#recompute").Click());
        page.WaitForAssertion(() => Assert.Equal("1",
            page.Find("tr[data-check=orphan-line-customer] [data-offenders]").GetAttribute("data-offenders")), TimeSpan.FromSeconds(30));
        Assert.Equal(QualityRules.All.Count, page.FindAll("#quality-checks tr[data-check]").Count);
        Assert.Equal("quality/orphan-line-customer", page.Find("tr[data-check=orphan-line-customer] a").GetAttribute("href"));
        Assert.Contains("Score = the average", page.Find("#score-definition").TextContent);
    }

    [Fact]
    public void QualityPage_Viewer_SeesTheFiguresButCannotRecompute()
    {
        SignInAs("vic", Workbench.Core.Users.Roles.Viewer);

        var page = Render<DataQualityPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#quality-checks")), TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll("#recompute"));
    }
}
