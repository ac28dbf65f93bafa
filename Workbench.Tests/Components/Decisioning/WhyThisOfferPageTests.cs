using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Decisioning;
using Workbench.Core.Import;
using Workbench.Core.Jobs;
using Workbench.Core.Playbook;
using Workbench.Features.Decisioning;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Decisioning;

// D1 prefers SMS; two plays for everyone: "hello" (expected value 12) and "bonus" (expected value 30) on e-mail and SMS.
// The decision is taken at noon UTC (no quiet hours) on a fixed clock.
public sealed class WhyThisOfferPageTests : StorePageContext
{
    private static readonly DateTime Noon = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    protected override async Task ArrangeAsync(TestStore store)
    {
        await store.ImportAsync(ImportKind.Customers, "customer_id,first_name,email,phone,preferred_channel\nD1,Dana,dana@example.com,+44 7700 900123,sms\nD2,Dev,,,email\n");
        await store.ImportAsync(ImportKind.Consents, "customer_id,channel,status,updated_at,source\nD1,email,granted,2026-01-01T00:00:00Z,web\nD1,sms,granted,2026-01-01T00:00:00Z,web\n");
        var hello = PlaybookFixture.Play("hello") with { Name = "Hello", UseCaseId = "uc-1", Trigger = new ScheduledTrigger("* * * * *", 1), ExpectedValue = 12 };
        var bonus = hello with { Id = "bonus", Name = "Bonus points", ExpectedValue = 30 };
        var json = PlaybookJson.Export(new PlaybookFile(1, [new UseCase("uc-1", "Grow", Objective.Grow, "any", "orders", "t", UseCaseStatus.Active)], [hello, bonus]));
        var imported = await store.Services.GetRequiredService<PlaybookStore>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "t.json", "test", default);
        Assert.True(imported.Imported, string.Join("\n", imported.Problems));
        Services.AddSingleton(new NextBestActionService(store.Location, store.Services.GetRequiredService<PlaybookStore>(), new JobScheduleOptions(),
            new FixedClock(new DateTimeOffset(Noon))));
    }

    private static string Text(string html) => System.Text.RegularExpressions.Regex.Replace(html, @"\s+", " ");

    private IRenderedComponent<WhyThisOfferPage> Open(string query)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/decisioning/why" + query);
        return Render<WhyThisOfferPage>();
    }

    [Fact]
    public async Task ACustomer_ShowsTheChoiceWithItsFactors_EveryPlayConsidered_AndEachReasonOnDemand()
    {
        var page = Open("?customer=D1");

        // bonus: 0.02 × 30 = 0.6 beats hello: 0.02 × 12 = 0.24; SMS is the preferred channel.
        page.WaitForAssertion(() => Assert.Equal("Bonus points on sms now", page.Find("[data-testid=why-chosen]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        Assert.Contains("Score 0.6 = propensity 0.02 × value 30 × context weight 1 × lever 1.", Text(page.Find("[data-testid=why-summary]").TextContent));
        var rows = page.FindAll("tr.why-row");
        Assert.Equal(4, rows.Count);
        Assert.Contains("chosen: sent on sms", rows[0].TextContent);
        Assert.Contains("other channel", rows[1].TextContent);
        Assert.Contains("lower score: score 0.24 below 0.6 of bonus", Text(page.Find("[data-testid=why-verdicts]").TextContent));

        await page.InvokeAsync(() => page.FindAll("[data-testid=why-expand]")[0].Click());
        Assert.Contains("✓ the play is active — the customer's value: status Active", Text(page.Find("[data-testid=why-reasons]").TextContent));
    }

    [Fact]
    public void ACustomerWithNoContactPoint_NothingIsSent_AndEachChannelSaysWhy()
    {
        var page = Open("?customer=D2");

        page.WaitForAssertion(() => Assert.Equal("Nothing is sent now", page.Find("[data-testid=why-chosen]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        Assert.Contains("email: no e-mail address", page.Find("[data-testid=why-channels]").TextContent);
        Assert.Contains("sms: no phone number", page.Find("[data-testid=why-channels]").TextContent);
        Assert.All(page.FindAll("[data-testid=why-blocking]"), b => Assert.StartsWith("blocked:", b.TextContent));
    }

    [Fact]
    public void NoCustomerOrAnUnknownOne_SaysWhatToDo()
    {
        var empty = Open("");
        Assert.Contains("Enter a customer id", empty.Find("[data-testid=why-empty]").TextContent);

        var unknown = Open("?customer=nobody");
        unknown.WaitForAssertion(() => Assert.Equal("customer 'nobody' not found", unknown.Find("[data-testid=why-problem]").TextContent.Trim()), TimeSpan.FromSeconds(30));
    }
}
