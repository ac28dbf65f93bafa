using Bunit;
using MudBlazor;
using MudBlazor.Services;
using Workbench.Features.Experiments;

namespace Workbench.Tests.Components.Experiments;

// Expected units: ExperimentPlannerTests states how each was computed (Python's statistics.NormalDist).
public sealed class PlanTestPageTests : BunitContext, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        AddAuthorization().SetAuthorized("ana");
        Render<MudPopoverProvider>();
        return Task.CompletedTask;
    }

    public new async Task DisposeAsync() => await base.DisposeAsync();

    [Fact]
    public async Task Defaults_AFivePercentRateAndATenPercentLift_NeedThePlannedUnits_AndTheFlowGivesTheDays()
    {
        var page = Render<PlanTestPage>();

        Assert.Equal("31,231 customers per arm", page.Find("[data-testid=plan-per-arm]").TextContent.Trim());
        Assert.Contains("62,462 in all (2 arms)", page.Find("[data-testid=plan-result]").TextContent);
        Assert.Contains("0.5 pp (5% → 5.5%)", page.Find("[data-testid=plan-result]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=plan-days]"));

        await page.InvokeAsync(() => page.Find("input[data-testid=plan-per-day]").Change("5000"));

        page.WaitForAssertion(() => Assert.Contains("13 day(s)", page.Find("[data-testid=plan-days]").TextContent));
        Assert.NotNull(page.Find("#power-curve"));
    }

    [Fact]
    public async Task ARateThatTheLiftWouldPushPast100Percent_SaysWhyInsteadOfANumber()
    {
        var page = Render<PlanTestPage>();

        await page.InvokeAsync(() => page.Find("input[data-testid=plan-baseline]").Change("95"));

        page.WaitForAssertion(() => Assert.Contains("leaves the range 0–100%", page.Find("[data-testid=plan-problem]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=plan-result]"));
    }
}
