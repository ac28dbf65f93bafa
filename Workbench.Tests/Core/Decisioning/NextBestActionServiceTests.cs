using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Decisioning;
using Workbench.Core.Import;
using Workbench.Core.Playbook;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Decisioning;

// The real-time decision on a store: the snapshot, the store's active plays, the default contact policy.
public sealed class NextBestActionServiceTests
{
    private static async Task<TestStore> StoreAsync(DateTime now)
    {
        var store = await TestStore.CreateAsync(new FixedClock(new DateTimeOffset(now)));
        await store.ImportAsync(ImportKind.Customers, "customer_id,first_name,email,phone,preferred_channel\nD1,Dana,dana@example.com,+44 7700 900123,sms\nD2,Dev,,,email\n");
        await store.ImportAsync(ImportKind.Consents, "customer_id,channel,status,updated_at,source\nD1,email,granted,2026-01-01T00:00:00Z,web\nD1,sms,granted,2026-01-01T00:00:00Z,web\nD2,email,granted,2026-01-01T00:00:00Z,web\n");
        var hello = PlaybookFixture.Play("hello") with { UseCaseId = "uc-1", Trigger = new ScheduledTrigger("* * * * *", 1) };
        var json = PlaybookJson.Export(new PlaybookFile(1, [new UseCase("uc-1", "Grow", Objective.Grow, "any", "orders", "t", UseCaseStatus.Active)], [hello]));
        var imported = await store.Services.GetRequiredService<PlaybookStore>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "t.json", "test", default);
        Assert.True(imported.Imported, string.Join("\n", imported.Problems));
        return store;
    }

    [Fact]
    public async Task Decide_AtNoon_SendsOnThePreferredChannel_AndWithoutAnAddressTheChannelIsUnreachable()
    {
        await using var store = await StoreAsync(new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc));
        var service = store.Services.GetRequiredService<NextBestActionService>();

        var d1 = (await service.DecideAsync("D1", null, null, default)).Action!;
        var d2 = (await service.DecideAsync("D2", null, null, default)).Action!;

        Assert.Equal(("hello", "sms"), (d1.Result.Decision.Chosen!.PlayId, d1.Result.Decision.Chosen.Channel));
        Assert.Equal(["sms", "email"], d1.Result.ChannelOrder);
        Assert.Equal("no e-mail address", d2.UnreachableContactPoints["email"]);
        Assert.Null(d2.Result.Decision.Chosen);
        Assert.Empty(d2.Result.ChannelOrder);
        Assert.Equal("customer 'nobody' not found", (await service.DecideAsync("nobody", null, null, default)).Problem);
    }

    [Fact]
    public async Task Decide_AtTenAtNight_TheDefaultQuietHoursStopTheMessage()
    {
        await using var store = await StoreAsync(new DateTime(2026, 11, 24, 22, 0, 0, DateTimeKind.Utc));

        var d1 = (await store.Services.GetRequiredService<NextBestActionService>().DecideAsync("D1", null, null, default)).Action!;

        Assert.Null(d1.Result.Decision.Chosen);
        Assert.Equal("hello", d1.Result.Decision.LostToCap!.PlayId);
        Assert.Contains(d1.Result.Decision.Trace, t => t.Outcome == CandidateOutcome.QuietHours && t.Reason.StartsWith("quiet hours 21:00–08:00"));
    }
    // The service keeps the active plays, objectives and model between decisions: a play added, a play's change and a
    // use case's new objective are in the very next decision.
    [Fact]
    public async Task Decide_SeesThePlaybooksChanges_InTheNextDecision()
    {
        await using var store = await StoreAsync(new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc));
        var service = store.Services.GetRequiredService<NextBestActionService>();
        var playbook = store.Services.GetRequiredService<PlaybookStore>();
        Assert.Equal("hello", (await service.DecideAsync("D1", "sms", null, default)).Action!.Result.Decision.Chosen!.PlayId);

        var better = PlaybookFixture.Play("better") with { UseCaseId = "uc-1", Trigger = new ScheduledTrigger("* * * * *", 1), ExpectedValue = 500 };
        var json = PlaybookJson.Export(new PlaybookFile(1, [new UseCase("uc-1", "Grow", Objective.Grow, "any", "orders", "t", UseCaseStatus.Active)],
            [PlaybookFixture.Play("hello") with { UseCaseId = "uc-1", Trigger = new ScheduledTrigger("* * * * *", 1) }, better]));
        Assert.True((await playbook.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "t2.json", "test", default)).Imported);
        var second = (await service.DecideAsync("D1", "sms", null, default)).Action!;
        Assert.Equal("better", second.Result.Decision.Chosen!.PlayId);
        Assert.Equal("better", second.PlayNames.Keys.Order().First());
        Assert.All(second.Result.Ranked, c => Assert.False(c.Service));

        var useCase = (await playbook.UseCasesAsync(default)).Single();
        Assert.True((await playbook.SaveUseCaseAsync(useCase with { Objective = Objective.Service }, useCase, "test", default)).IsSaved);
        var third = (await service.DecideAsync("D1", "sms", null, default)).Action!;
        Assert.All(third.Result.Ranked, c => Assert.True(c.Service));
    }
}
