using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Campaigns;
using Workbench.Core.Decisioning;
using Workbench.Core.Import;
using Workbench.Core.Playbook;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Campaigns;

// A triggered campaign with one cart-abandon play (2-hour delay, open 24 hours, not after any purchase), on a clock the
// test moves. Three customers with e-mail consent in London, none in the global holdout: A abandons a cart at 10:00;
// B abandons one at 10:00 and buys at 11:00; C's abandon (09:30) arrives late, by an import at 12:05.
public sealed class TriggeredCampaignTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly MovableClock _clock = new(Start);
    private TestStore _store = null!;
    private string _a = "", _b = "", _c = "";

    private CampaignRunner Runner => _store.Services.GetRequiredService<CampaignRunner>();
    private CampaignScheduler Scheduler => _store.Services.GetRequiredService<CampaignScheduler>();

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(_clock);
        var ids = Enumerable.Range(0, 100).Select(i => $"TC{i}").Where(id => !ArmAssignment.InGlobalHoldout(id, 0.05)).Take(3).ToList();
        (_a, _b, _c) = (ids[0], ids[1], ids[2]);
        var customers = new StringBuilder("customer_id,first_name,email,time_zone\n");
        var consents = new StringBuilder("customer_id,channel,status,updated_at,source\n");
        foreach (var id in ids)
        {
            customers.Append($"{id},Tam,{id.ToLowerInvariant()}@example.com,Europe/London\n");
            consents.Append($"{id},email,granted,2026-01-01T00:00:00Z,web\n");
        }
        Assert.Equal(ImportOutcome.Imported, (await _store.ImportAsync(ImportKind.Customers, customers.ToString())).Outcome);
        Assert.Equal(ImportOutcome.Imported, (await _store.ImportAsync(ImportKind.Consents, consents.ToString())).Outcome);
        Assert.Equal(ImportOutcome.Imported, (await _store.ImportAsync(ImportKind.Products, "sku,name,category,price\nSKU-1,Trowel,Garden,5\n")).Outcome);

        var cart = PlaybookFixture.Play("cart") with
        {
            UseCaseId = "uc-1", Trigger = new EventTrigger("cart_abandon", null, 120, PurchaseCheck.Any, 24), CooldownDays = 0,
            Channels = ["email"], Content = [PlaybookFixture.Play().Content[0]],
        };
        var json = PlaybookJson.Export(new PlaybookFile(1, [new UseCase("uc-1", "Recover carts", Objective.Grow, "cart abandoned", "orders", "t", UseCaseStatus.Active)], [cart]));
        Assert.True((await _store.Services.GetRequiredService<PlaybookStore>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "t.json", "test", default)).Imported);

        var campaigns = _store.Services.GetRequiredService<CampaignStore>();
        var draft = (await campaigns.CreateAsync(new Campaign("carts", "Carts", "", CampaignStatus.Draft, CampaignStage.Pilot, ["cart"], [], [],
            new CampaignSchedule(ScheduleKind.Triggered), 0, [new CampaignVariant("a", 1)]), "ann", default)).Saved!;
        Assert.NotNull((await campaigns.UpdateAsync(draft with { Status = CampaignStatus.Scheduled }, 1, "ann", default)).Saved);

        Assert.Equal(ImportOutcome.Imported, (await _store.ImportAsync(ImportKind.Events,
            $"event_id,customer_id,occurred_at,type,sku\ne1,{_a},2026-12-01T10:00:00Z,cart_abandon,SKU-1\ne2,{_b},2026-12-01T10:00:00Z,cart_abandon,SKU-1\n")).Outcome);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(ImportOutcome.Imported, (await _store.ImportAsync(ImportKind.Transactions,
            $"order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\nO1,1,{_b},2026-12-01T11:00:00Z,SKU-1,1,5\n")).Outcome);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<List<CampaignSend>> SentAsync()
    {
        var sent = new List<CampaignSend>();
        foreach (var run in await Runner.RunsAsync("carts", 100, default))
            sent.AddRange(await Runner.SendsAsync(run.Id, null, 100, sentOnly: true, default));
        return sent;
    }

    [Fact]
    public async Task ACartAbandon_IsSentTwoHoursLater_WithinAMinute_UnlessAPurchaseCameBetween_AndALateEventIsSentOnArrival()
    {
        // 11:30: nothing is due yet (the abandons are 1.5 h old): no run.
        _clock.Now = new DateTimeOffset(2026, 12, 1, 11, 30, 10, TimeSpan.Zero);
        Assert.Empty((await Scheduler.TickAsync(default)).Ran);
        Assert.Empty(await SentAsync());

        // 12:00:40: A's abandon fell due at 12:00:00; the slot ending 12:00:30 sends it. B bought in between: nothing.
        _clock.Now = new DateTimeOffset(2026, 12, 1, 12, 0, 40, TimeSpan.Zero);
        var tick = await Scheduler.TickAsync(default);
        var run = (await Runner.GetAsync(Assert.Single(tick.Ran), default))!;
        Assert.Equal(new DateTime(2026, 12, 1, 12, 0, 30, DateTimeKind.Utc), run.Occurrence);
        var sent = Assert.Single(await SentAsync());
        Assert.Equal((_a, "cart", "email"), (sent.CustomerId, sent.PlayId, sent.Channel));
        Assert.InRange(sent.SendAt!.Value, new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 1, 12, 1, 0, DateTimeKind.Utc));
        var b = Assert.Single(await Runner.SendsAsync(run.Id, null, 100, sentOnly: false, default), s => s.CustomerId == _b);
        Assert.Equal(NotSentReasons.NoEligiblePlay, b.Reason);

        // A second scheduler at the same moment finds the slot taken.
        var second = ActivatorUtilities.CreateInstance<CampaignRunner>(_store.Services);
        second.Instance = "second";
        Assert.Empty((await ActivatorUtilities.CreateInstance<CampaignScheduler>(_store.Services, second).TickAsync(default)).Ran);

        // 12:05:10: C's abandon of 09:30 arrives (due since 11:30, open until 09:30 tomorrow); the next slot sends it.
        _clock.Now = new DateTimeOffset(2026, 12, 1, 12, 5, 10, TimeSpan.Zero);
        Assert.Equal(ImportOutcome.Imported, (await _store.ImportAsync(ImportKind.Events,
            $"event_id,customer_id,occurred_at,type,sku\ne3,{_c},2026-12-01T09:30:00Z,cart_abandon,SKU-1\n")).Outcome);
        _clock.Now = new DateTimeOffset(2026, 12, 1, 12, 5, 40, TimeSpan.Zero);
        Assert.Single((await Scheduler.TickAsync(default)).Ran);
        var late = Assert.Single(await SentAsync(), s => s.CustomerId == _c);
        Assert.InRange(late.SendAt!.Value, new DateTime(2026, 12, 1, 12, 5, 10, DateTimeKind.Utc), new DateTime(2026, 12, 1, 12, 6, 10, DateTimeKind.Utc));

        // Later slots send nobody again: each event falls due once.
        _clock.Now = new DateTimeOffset(2026, 12, 1, 12, 40, 0, TimeSpan.Zero);
        await Scheduler.TickAsync(default);
        Assert.Equal(2, (await SentAsync()).Count);
    }

    [Fact]
    public void ATriggeredCampaign_HasNoCronNoMomentAndNoNextRun()
    {
        var triggered = new CampaignSchedule(ScheduleKind.Triggered);
        Assert.Null(CampaignSchedules.Next(triggered, Start.UtcDateTime));
        Assert.Empty(CampaignSchedules.Occurrences(triggered, Start.UtcDateTime, Start.UtcDateTime.AddDays(30)));
        Assert.Equal(new DateTime(2026, 12, 1, 10, 0, 30, DateTimeKind.Utc), CampaignScheduler.SlotEnd(new DateTime(2026, 12, 1, 10, 0, 59, DateTimeKind.Utc)));
    }

    [Fact]
    public async Task ATriggeredCampaignWithACronOrAMoment_IsRefusedNamingTheField()
    {
        var campaigns = _store.Services.GetRequiredService<CampaignStore>();
        Campaign With(CampaignSchedule s) => new("", "Bad", "", CampaignStatus.Draft, CampaignStage.Pilot, ["cart"], [], [], s, 0, [new CampaignVariant("a", 1)]);
        Assert.Contains((await campaigns.CreateAsync(With(new CampaignSchedule(ScheduleKind.Triggered, Cron: "0 9 * * MON")), "ann", default)).Problems, p => p.Field == "schedule.cron");
        Assert.Contains((await campaigns.CreateAsync(With(new CampaignSchedule(ScheduleKind.Triggered, At: Start.UtcDateTime)), "ann", default)).Problems, p => p.Field == "schedule.at");
        // Scheduled, it has no next run: the list shows none, and the scheduler's slots run it.
        Assert.Null((await campaigns.ListAsync(new CampaignFilter(), default)).Items.Single(i => i.Id == "carts").NextRunAt);
    }
}
