using Workbench.Core.Decisioning;

namespace Workbench.Tests.Core.Decisioning;

// Hand-checked decisions. London in December is on UTC, so local and UTC times agree unless a test says otherwise.
// Caps: at most 2 emails and 3 messages in all in 7 days; the customer's channels: email (preferred), sms, push.
public sealed class ContactPolicyTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly ContactCaps Caps = new(TimeSpan.FromDays(7), new Dictionary<string, int> { ["email"] = 2 }, 3);
    private static readonly QuietHours Night = new(new TimeOnly(21, 0), new TimeOnly(8, 0));

    private static Candidate C(string play, string channel, double propensity, double value = 50, double weight = 1, bool service = false) =>
        new(play, channel, new ScoreFactors(propensity, value, weight), service);

    private static DecisionRequest Request(IReadOnlyList<Candidate> candidates, IReadOnlyList<Contact>? history = null,
        CappedHandling handling = CappedHandling.Substitute, DateTime? now = null, ContactCaps? caps = null, QuietHours? quiet = null) =>
        new(now ?? Now, London, ["email", "sms", "push"], candidates, history ?? [], caps ?? Caps, quiet, handling);

    private static readonly Contact[] TwoEmails = [new(Now.AddDays(-6), "email"), new(Now.AddDays(-1), "email")];

    [Fact]
    public void NothingStops_TheHighestScoreGoesOutOnThePreferredChannel_AndTheTraceSaysWhyEachOtherDidNot()
    {
        // Scores: P1 email 0.2 × 50 = 10, P1 sms 0.2 × 50 × 0.8 = 8, P2 email 0.1 × 50 = 5.
        var decision = ContactPolicy.Decide(Request([C("P2", "email", 0.1), C("P1", "sms", 0.2, weight: 0.8), C("P1", "email", 0.2)]));

        Assert.Equal(("P1", "email", Now), (decision.Chosen!.PlayId, decision.Chosen.Channel, decision.SendAt!.Value));
        Assert.Null(decision.LostToCap);
        Assert.Equal(
        [
            "P2 email LowerScore: score 5 below 10 of P1",
            "P1 email Chosen: sent on email",
            "P1 sms OtherChannelUsed: the play goes out on email, earlier in the customer's channel order",
        ], decision.Trace.Select(t => $"{t.PlayId} {t.Channel} {t.Outcome}: {t.Reason}"));
        Assert.Equal(10, decision.Trace[1].Factors.Score, 12);
    }

    [Fact]
    public void PreferredChannelCapped_ThePlayGoesOutOnTheNextAllowedChannel()
    {
        var decision = ContactPolicy.Decide(Request([C("P1", "email", 0.2), C("P1", "sms", 0.2, weight: 0.8)], TwoEmails));

        Assert.Equal(("P1", "sms"), (decision.Chosen!.PlayId, decision.Chosen.Channel));
        Assert.Null(decision.LostToCap);
        Assert.Contains(decision.Trace, t => t is { Channel: "email", Outcome: CandidateOutcome.Capped, Reason: "2 of at most 2 email message(s) in 7 days" });
    }

    // P1 (score 10) can only go by email, which is capped; P2 (score 4) by sms.
    [Fact]
    public void BestPlayCapped_Substitute_SendsTheNextBestOnAnOpenChannel_AndReportsWhatTheCapCost()
    {
        var decision = ContactPolicy.Decide(Request([C("P1", "email", 0.2), C("P2", "sms", 0.08)], TwoEmails, CappedHandling.Substitute));

        Assert.Equal(("P2", "sms", Now), (decision.Chosen!.PlayId, decision.Chosen.Channel, decision.SendAt!.Value));
        Assert.Equal("P1", decision.LostToCap!.PlayId);
        Assert.Equal(10, decision.LostToCap.Factors.Score, 12);
    }

    [Fact]
    public void BestPlayCapped_Drop_SendsNothing()
    {
        var decision = ContactPolicy.Decide(Request([C("P1", "email", 0.2), C("P2", "sms", 0.08)], TwoEmails, CappedHandling.Drop));

        Assert.Null(decision.Chosen);
        Assert.Null(decision.SendAt);
        Assert.Equal("P1", decision.LostToCap!.PlayId);
        Assert.Equal(CandidateOutcome.Dropped, decision.Trace.Single(t => t.PlayId == "P1").Outcome);
        Assert.Equal(CandidateOutcome.LowerScore, decision.Trace.Single(t => t.PlayId == "P2").Outcome);
    }

    [Fact]
    public void BestPlayCapped_Defer_SendsItWhenTheOldestEmailLeavesTheWindow()
    {
        // The emails of 25 Nov 12:00 and 30 Nov 12:00 fill the cap; the first leaves the 7-day window on 2 Dec 12:00.
        var decision = ContactPolicy.Decide(Request([C("P1", "email", 0.2), C("P2", "sms", 0.08)], TwoEmails, CappedHandling.Defer));

        Assert.Equal(("P1", "email"), (decision.Chosen!.PlayId, decision.Chosen.Channel));
        Assert.Equal(new DateTime(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc), decision.SendAt);
        Assert.Null(decision.LostToCap);
        Assert.Equal(CandidateOutcome.Deferred, decision.Trace.Single(t => t.PlayId == "P1").Outcome);
    }

    [Theory]
    // 22:00 GMT in December: quiet until 08:00 GMT the next morning.
    [InlineData("2026-12-01T22:00:00Z", "2026-12-02T08:00:00Z")]
    // 22:30 BST (21:30 UTC) in July: quiet until 08:00 BST = 07:00 UTC.
    [InlineData("2026-07-01T21:30:00Z", "2026-07-02T07:00:00Z")]
    // 06:00 UTC on 29 March is 07:00 BST, the clocks having gone forward at 01:00 UTC: open at 08:00 BST = 07:00 UTC.
    [InlineData("2026-03-29T06:00:00Z", "2026-03-29T07:00:00Z")]
    public void QuietHours_OnTheCustomersClock_DeferToTheirEnd(string now, string expected)
    {
        var at = DateTime.Parse(now, null, System.Globalization.DateTimeStyles.AdjustToUniversal);
        var decision = ContactPolicy.Decide(Request([C("P1", "email", 0.2)], handling: CappedHandling.Defer, now: at, quiet: Night));

        Assert.Equal(DateTime.Parse(expected, null, System.Globalization.DateTimeStyles.AdjustToUniversal), decision.SendAt);
        Assert.StartsWith("quiet hours 21:00–08:00 on the customer's clock", decision.Trace.Single().Reason);
    }

    [Fact]
    public void QuietAndCapped_Defer_WaitsForBoth()
    {
        // At 20:00 on 1 Dec the emails of 25 Nov 23:00 and 30 Nov 12:00 fill the cap; the first leaves the window at
        // 23:00 on 2 Dec, inside the quiet hours, which end at 08:00 on 3 Dec.
        var evening = new DateTime(2026, 12, 1, 20, 0, 0, DateTimeKind.Utc);
        Contact[] late = [new(new DateTime(2026, 11, 25, 23, 0, 0, DateTimeKind.Utc), "email"), new(Now.AddDays(-1), "email")];

        var decision = ContactPolicy.Decide(Request([C("P1", "email", 0.2)], late, CappedHandling.Defer, evening, quiet: Night));

        Assert.Equal(new DateTime(2026, 12, 3, 8, 0, 0, DateTimeKind.Utc), decision.SendAt);
    }

    [Fact]
    public void TotalCap_StopsEveryChannel_AndServiceMessagesAreExemptButCounted()
    {
        Contact[] three = [new(Now.AddDays(-3), "email"), new(Now.AddDays(-2), "sms"), new(Now.AddDays(-1), "sms")];
        var marketing = ContactPolicy.Decide(Request([C("P1", "email", 0.2), C("P1", "push", 0.2)], three, CappedHandling.Drop));
        Assert.Null(marketing.Chosen);
        Assert.All(marketing.Trace, t => Assert.Contains("3 of at most 3 message(s) on all channels in 7 days", t.Reason));

        var service = ContactPolicy.Decide(Request([C("ORDER", "email", 1, service: true)], three));
        Assert.Equal("ORDER", service.Chosen!.PlayId);

        // Two service emails count towards the email cap by default, not when the setting says otherwise.
        Contact[] serviceEmails = [new(Now.AddDays(-2), "email", Service: true), new(Now.AddDays(-1), "email", Service: true)];
        Assert.Null(ContactPolicy.Decide(Request([C("P1", "email", 0.2)], serviceEmails, CappedHandling.Drop)).Chosen);
        Assert.Equal("P1", ContactPolicy.Decide(Request([C("P1", "email", 0.2)], serviceEmails, CappedHandling.Drop,
            caps: Caps with { ServiceCounted = false })).Chosen!.PlayId);
    }

    // What stops a candidate is worked out once per channel in a decision, and apart for an exempt service message: on
    // one channel, with the total cap full, the marketing play is capped and the service message beside it still goes.
    [Fact]
    public void TotalCap_OnOneChannel_StopsTheMarketingPlay_NotTheServiceMessageBesideIt()
    {
        Contact[] three = [new(Now.AddDays(-3), "email"), new(Now.AddDays(-2), "sms"), new(Now.AddDays(-1), "sms")];
        var decision = ContactPolicy.Decide(Request([C("PROMO", "email", 0.9), C("ORDER", "email", 0.1, service: true), C("NEWS", "email", 0.5)], three));
        Assert.Equal("ORDER", decision.Chosen!.PlayId);
        Assert.Equal("PROMO", decision.LostToCap!.PlayId);
        Assert.Equal(CandidateOutcome.Capped, decision.Trace.Single(t => t.PlayId == "NEWS").Outcome);
        Assert.Equal(CandidateOutcome.Chosen, decision.Trace.Single(t => t.PlayId == "ORDER").Outcome);
    }

    [Fact]
    public void AChannelTheCustomerCannotBeReachedOn_IsNeverChosen()
    {
        var decision = ContactPolicy.Decide(Request([C("P1", "whatsapp", 0.9), C("P2", "push", 0.1)]));

        Assert.Equal("P2", decision.Chosen!.PlayId);
        Assert.Equal(CandidateOutcome.Unreachable, decision.Trace.Single(t => t.PlayId == "P1").Outcome);
    }

    // Thousands of generated customers and days: whatever the handling, after every send no rolling window holds more
    // non-service messages than its caps, every send is on a reachable channel and, with Substitute, the chosen play
    // is the best one that could go out.
    [Theory]
    [InlineData(CappedHandling.Substitute, 1)]
    [InlineData(CappedHandling.Drop, 2)]
    [InlineData(CappedHandling.Defer, 3)]
    public void GeneratedRuns_NeverBreakACap(CappedHandling handling, int seed)
    {
        var random = new Random(seed);
        string[] channels = ["email", "sms", "push", "app"];
        for (var customer = 0; customer < 1_500; customer++)
        {
            var order = channels.OrderBy(_ => random.Next()).Take(random.Next(1, 5)).ToList();
            var caps = new ContactCaps(TimeSpan.FromDays(random.Next(1, 15)),
                channels.Where(_ => random.Next(2) == 0).ToDictionary(c => c, _ => random.Next(1, 4)), random.Next(3) == 0 ? null : random.Next(1, 6));
            var history = new List<Contact>();
            var now = Now;
            for (var day = 0; day < 20; day++)
            {
                now = now.AddHours(random.Next(6, 48));
                var candidates = Enumerable.Range(0, random.Next(0, 6)).Select(p =>
                    C($"P{p}", channels[random.Next(channels.Length)], random.NextDouble(), service: random.Next(10) == 0)).ToList();
                var decision = ContactPolicy.Decide(new DecisionRequest(now, London, order, candidates, history, caps, null, handling));
                if (decision.Chosen is not { } chosen) continue;
                Assert.Contains(chosen.Channel, order);
                Assert.True(decision.SendAt >= now);
                if (handling == CappedHandling.Substitute && decision.SendAt == now)
                {
                    var better = candidates.Where(c => c.Factors.Score > chosen.Factors.Score && order.Contains(c.Channel));
                    Assert.All(better, b => Assert.NotNull(decision.Trace.FirstOrDefault(t => t.PlayId == b.PlayId && t.Outcome is CandidateOutcome.Capped or CandidateOutcome.OtherChannelUsed)));
                }
                history.Add(new Contact(decision.SendAt!.Value, chosen.Channel, chosen.Service));
                if (!chosen.Service) AssertWithinCaps(history, caps, decision.SendAt.Value, chosen.Channel);
            }
        }
    }

    private static void AssertWithinCaps(List<Contact> history, ContactCaps caps, DateTime at, string channel)
    {
        var window = history.Where(h => h.At > at - caps.Window && h.At <= at).ToList();
        if (caps.PerChannel.TryGetValue(channel, out var cap)) Assert.True(window.Count(h => h.Channel == channel) <= cap);
        if (caps.Total is { } total) Assert.True(window.Count <= total);
    }
}
