using Workbench.Core.Playbook;
using Workbench.Core.Segments.Rules;
using static Workbench.Tests.Core.Playbook.PlaybookFixture;

namespace Workbench.Tests.Core.Playbook;

public sealed class EligibilityTests
{
    private static EligibilityVerdict Eval(Play p, CustomerSnapshot s, DateTime? now = null, string channel = "email", bool stop = false) =>
        Eligibility.Evaluate(p, channel, Prepare(s, now ?? Now), London, stop);

    private static readonly Offer GardenDiscount = new(OfferKind.PercentOff, "10% off Garden", 10, null, null, new DateOnly(2026, 12, 31), Category: "Garden");

    [Fact]
    public void Evaluate_AnEligibleCustomer_ListsEveryRuleAllowed()
    {
        var play = Play() with
        {
            Audience = new Audience([3], SegmentMatch.Any, new RuleGroup { Conditions = [Cond("loyalty_tier", Operators.Eq, "Silver")] },
                [new RecentCategoryPurchaseExclusion("Toys", 30)], new ContextConditions(null, null, null, ["Yorkshire and the Humber"])),
            ExclusionGroup = "g",
        };
        var v = Eval(play, Customer());
        Assert.True(v.Eligible, string.Join("\n", v.Reasons));
        Assert.Null(v.FirstBlocking);
        Assert.True(v.Complete);
        Assert.Equal(
            [ReasonKind.Status, ReasonKind.Channel, ReasonKind.Content, ReasonKind.Consent, ReasonKind.Trigger, ReasonKind.Segment,
             ReasonKind.Condition, ReasonKind.Exclusion, ReasonKind.Context, ReasonKind.Cooldown, ReasonKind.ExclusionGroup],
            v.Reasons.Select(r => r.Kind));
        var condition = v.Reasons.Single(r => r.Kind == ReasonKind.Condition);
        Assert.Equal("Loyalty tier = Silver", condition.Rule);
        Assert.Equal("Loyalty tier: Silver", condition.CustomerValue);
    }

    [Fact]
    public void Evaluate_ConsentNotRecorded_IsNotEligible_Denied_Neither()
    {
        var play = Play() with { Channels = ["email", "sms", "push"], Content = [.. Play().Content, new ChannelContent("push", [new CreativeVariant("a", Title: "t", Body: "b")])] };
        var none = Eval(play, Customer(), channel: "push");
        Assert.Equal(ReasonKind.Consent, none.FirstBlocking!.Kind);
        Assert.Equal("no consent recorded", none.FirstBlocking.CustomerValue);
        var denied = Eval(play, Customer(), channel: "sms");
        Assert.Equal(ReasonKind.Consent, denied.FirstBlocking!.Kind);
        Assert.StartsWith("denied", denied.FirstBlocking.CustomerValue);
        Assert.True(Eval(play, Customer(), channel: "email").Eligible);
    }

    [Fact]
    public void Evaluate_ListsEveryBlockingReason_AndNamesTheFirst()
    {
        var play = Play() with
        {
            Status = PlayStatus.Draft,
            Audience = new Audience([99], SegmentMatch.Any, new RuleGroup { Conditions = [Cond("loyalty_tier", Operators.Eq, "Gold"), Cond("orders", Operators.Gte, 2.0)] }, [], null),
        };
        var v = Eval(play, Customer());
        Assert.False(v.Eligible);
        Assert.Equal(ReasonKind.Status, v.FirstBlocking!.Kind);
        var blocking = v.Reasons.Where(r => !r.Allowed).Select(r => r.Kind).ToList();
        Assert.Equal([ReasonKind.Status, ReasonKind.Segment, ReasonKind.Condition], blocking);
        // Each condition is its own reason, with the customer's value: the tier blocks, the orders pass.
        var conditions = v.Reasons.Where(r => r.Kind == ReasonKind.Condition).ToList();
        Assert.Equal(2, conditions.Count);
        Assert.False(conditions[0].Allowed);
        Assert.Equal("Loyalty tier: Silver", conditions[0].CustomerValue);
        Assert.True(conditions[1].Allowed);
        Assert.Equal("Orders: 4", conditions[1].CustomerValue);
        Assert.Equal("in segments 3, 7", v.Reasons.Single(r => r.Kind == ReasonKind.Segment).CustomerValue);

        var fast = Eval(play, Customer(), stop: true);
        Assert.False(fast.Complete);
        Assert.Single(fast.Reasons);
    }

    // The fast path keeps a verdict per play, channel and blocking rule when the rule's words depend on the play alone,
    // and hands the same instance to every customer blocked there. Generated customers (seeded) differ in consent, zone,
    // segments, tier, region and contacts, one after another on the same play instances, so a kept verdict reaching a
    // customer it does not fit would show here: each fast verdict must agree with that customer's full list. The
    // exclusion group's words name the customer's week and zone, so a verdict blocked there is never one kept.
    [Fact]
    public void Evaluate_BlockingOnly_KeptVerdicts_FitEveryCustomer_AndOnlyRulesOfThePlayAreKept()
    {
        var plays = new[]
        {
            Play("a"),
            Play("b") with { Audience = new Audience([3, 7], SegmentMatch.All, null, [], null) },
            Play("c") with { Audience = new Audience([], SegmentMatch.Any, new RuleGroup { Conditions = [Cond("loyalty_tier", Operators.Eq, "Gold"), Cond("orders", Operators.Gte, 2.0)] }, [], null) },
            Play("d") with { Audience = new Audience([], SegmentMatch.Any, null, [], new ContextConditions(null, null, null, ["Wales"])) },
            Play("e") with { ExclusionGroup = "g" },
            Play("f") with { Offer = Offer.NoIncentive with { MembersOnly = true } },
        };
        var random = new Random(20261202);
        string[] zones = ["Europe/London", "America/New_York", "Asia/Tokyo"];
        string?[] statuses = ["granted", "denied", null];
        string?[] tiers = ["Gold", "Silver", null];
        var shared = 0;
        for (var n = 0; n < 400; n++)
        {
            var consents = new Dictionary<string, ConsentState>();
            foreach (var channel in new[] { "email", "sms" })
                if (statuses[random.Next(3)] is { } status) consents[channel] = new(status, Utc(2025, 1, 5));
            var segments = new HashSet<long>(new long[] { 3, 7 }.Where(_ => random.Next(2) == 0));
            PlayContact[] contacts = random.Next(2) == 0 ? [] : [new PlayContact("x", "g", "email", Now.AddDays(-random.Next(0, 9)).AddHours(-random.Next(0, 20)))];
            var snapshot = Customer(zones[random.Next(3)]) with
            {
                CustomerId = $"C{n}",
                Profile = Customer().Profile with { LoyaltyTier = tiers[random.Next(3)], Region = random.Next(2) == 0 ? "Wales" : "Yorkshire and the Humber" },
                Consents = consents,
                SegmentIds = segments,
                Contacts = contacts,
            };
            foreach (var play in plays)
            foreach (var channel in new[] { "email", "sms" })
            {
                var full = Eligibility.Evaluate(play, channel, Prepare(snapshot, Now), London);
                var fast = Eligibility.Evaluate(play, channel, Prepare(snapshot, Now), London, false, true, out var kept);
                var again = Eligibility.Evaluate(play, channel, Prepare(snapshot, Now), London, false, true, out _);
                Assert.Equal(full.Eligible, fast.Eligible);
                Assert.Equal(full.FirstBlocking?.Kind, fast.FirstBlocking?.Kind);
                Assert.Equal(full.FirstBlocking?.Rule, fast.FirstBlocking?.Rule);
                Assert.Equal(kept, ReferenceEquals(fast, again));
                if (fast.FirstBlocking?.Kind == ReasonKind.ExclusionGroup) Assert.False(kept);
                if (kept) shared++;
            }
        }
        Assert.True(shared > 2_000, $"{shared} of 4,800 verdicts kept");
    }

    // The engine's fast path (a campaign run): the same verdict as the full list, keeping only the first blocking rule's
    // words and no rule that holds. Each play blocks at a different rule, so every stage's deferred text is checked.
    [Fact]
    public void Evaluate_BlockingOnly_KeepsTheFirstBlockingRule_AndAgreesWithTheFullList()
    {
        var plays = new[]
        {
            Play(),
            Play() with { Status = PlayStatus.Draft },
            Play() with { Audience = new Audience([99], SegmentMatch.Any, null, [], null) },
            Play() with { Audience = new Audience([], SegmentMatch.Any, new RuleGroup { Conditions = [Cond("loyalty_tier", Operators.Eq, "Gold")] }, [], null) },
            Play() with { Audience = new Audience([], SegmentMatch.Any, new RuleGroup { Op = RuleOps.Or, Conditions = [Cond("orders", Operators.Gte, 9.0), Cond("loyalty_tier", Operators.Eq, "Gold")] }, [], null) },
            Play() with { Offer = GardenDiscount with { ValidTo = new DateOnly(2026, 1, 1) } },
            Play() with { Audience = new Audience([], SegmentMatch.Any, null, [], new ContextConditions(null, null, null, ["Wales"])) },
        };
        foreach (var channel in new[] { "email", "sms", "push" })
        foreach (var play in plays)
        {
            var full = Eval(play, Customer(), channel: channel);
            var fast = Eligibility.Evaluate(play, channel, Prepare(Customer(), Now), London, blockingOnly: true);
            Assert.Equal(full.Eligible, fast.Eligible);
            if (full.Eligible)
            {
                Assert.Empty(fast.Reasons);
                continue;
            }
            var only = Assert.Single(fast.Reasons);
            Assert.Equal(full.FirstBlocking!.Kind, only.Kind);
            Assert.Equal(full.FirstBlocking.Rule, only.Rule);
            Assert.False(only.Allowed);
            Assert.Equal("", only.CustomerValue);
        }
    }

    [Fact]
    public void Evaluate_Segments_AnyOrAll()
    {
        var any = Play() with { Audience = new Audience([7, 8], SegmentMatch.Any, null, [], null) };
        Assert.True(Eval(any, Customer()).Eligible);
        Assert.False(Eval(any with { Audience = any.Audience with { Match = SegmentMatch.All } }, Customer()).Eligible);
        Assert.True(Eval(any with { Audience = any.Audience with { SegmentIds = [3, 7], Match = SegmentMatch.All } }, Customer()).Eligible);
    }

    [Fact]
    public void Cooldown_EndsExactlyItsDaysAfterTheLastContact()
    {
        var play = Play() with { CooldownDays = 7 };
        var last = Now.AddDays(-7);
        var s = Customer() with { Contacts = [new PlayContact("p1", null, "sms", last)] };
        Assert.True(Eval(play, s).Eligible); // exactly 7 × 24 h later: allowed again
        var blocked = Eval(play, s, Now.AddSeconds(-1));
        Assert.Equal(ReasonKind.Cooldown, blocked.FirstBlocking!.Kind);
        Assert.Contains("cooldown ends", blocked.FirstBlocking.CustomerValue);
        // Another play's contact does not start this play's cooldown.
        Assert.True(Eval(play, Customer() with { Contacts = [new PlayContact("other", null, "email", Now.AddHours(-1))] }).Eligible);
    }

    [Fact]
    public void ExclusionGroup_OnePlayPerIsoWeekInTheCustomersZone()
    {
        var play = Play() with { ExclusionGroup = "winback", CooldownDays = 0 };
        // Monday 30 November 2026 00:00 in London is 00:00 UTC (GMT). A contact on Sunday 29 November 23:30 is last week.
        var sunday = Customer() with { Contacts = [new PlayContact("p2", "winback", "email", Utc(2026, 11, 29, 23, 30))] };
        Assert.True(Eval(play, sunday, Utc(2026, 11, 30, 9)).Eligible);
        Assert.False(Eval(play, sunday, Utc(2026, 11, 29, 23, 45)).Eligible);
        var monday = Customer() with { Contacts = [new PlayContact("p2", "winback", "email", Utc(2026, 11, 30, 0, 0))] };
        var v = Eval(play, monday, Utc(2026, 12, 6, 23, 59)); // still Sunday of the same week
        Assert.Equal(ReasonKind.ExclusionGroup, v.FirstBlocking!.Kind);
        Assert.Contains("play p2", v.FirstBlocking.CustomerValue);
        Assert.True(Eval(play, monday, Utc(2026, 12, 7, 0, 0)).Eligible);
        // In Tokyo (UTC+9) the same Sunday 23:30 UTC contact is already Monday: this week.
        var tokyo = sunday with { Profile = sunday.Profile with { TimeZone = "Asia/Tokyo" } };
        Assert.False(Eval(play, tokyo, Utc(2026, 11, 30, 9)).Eligible);
        // The play's own earlier contact is the cooldown's business, not the group's; another group does not count.
        Assert.True(Eval(play, Customer() with { Contacts = [new PlayContact("p1", "winback", "email", Utc(2026, 11, 30, 1))] }, Utc(2026, 11, 30, 9)).Eligible);
        Assert.True(Eval(play, Customer() with { Contacts = [new PlayContact("p3", "other", "email", Utc(2026, 11, 30, 1))] }, Utc(2026, 11, 30, 9)).Eligible);
    }

    [Fact]
    public void RecentCategoryPurchase_OfThePromotedCategory_WithinNDays_Blocks()
    {
        var play = Play() with { Offer = GardenDiscount, Audience = new Audience([], SegmentMatch.Any, null, [new RecentCategoryPurchaseExclusion(null, 30)], null) };
        var s = Customer() with { Purchases = [new PurchaseLine("O1", Now.AddDays(-30), "GAR-1", "Garden", 1, 20)] };
        var v = Eval(play, s);
        Assert.False(v.Eligible); // exactly 30 days ago is within the last 30 days
        Assert.Equal(ReasonKind.Exclusion, v.FirstBlocking!.Kind);
        Assert.Contains("last bought Garden", v.FirstBlocking.CustomerValue);
        Assert.True(Eval(play, s, Now.AddSeconds(1)).Eligible);
        Assert.True(Eval(play, s with { Purchases = [new PurchaseLine("O1", Now.AddDays(-1), "TOY-1", "Toys", 1, 20)] }).Eligible);
        // A line newer than the store's category activity (imported after the last feature rebuild) still counts.
        var stale = Customer() with
        {
            CategoryLastBought = new Dictionary<string, DateTime> { ["Garden"] = Now.AddDays(-200) },
            Purchases = [new PurchaseLine("O7", Now.AddDays(-2), "GAR-1", "Garden", 1, 20)],
        };
        Assert.False(Eval(play, stale).Eligible);
        Assert.True(Eval(play, stale with { Purchases = [] }).Eligible);
    }

    [Fact]
    public void HabitualBuyer_BoughtInKOfTheLastWWeeks_GetsNoDiscount_ButContentOnlyStillReachesThem()
    {
        var rule = new HabitualBuyerExclusion("Grocery", 3, 4);
        var play = Play() with { Offer = GardenDiscount with { Category = "Grocery" }, Audience = new Audience([], SegmentMatch.Any, null, [rule], null) };
        PurchaseLine Line(double daysAgo) => new("O" + daysAgo, Now.AddDays(-daysAgo), "GRO-1", "Grocery", 1, 2);
        // Ages 1, 2 (block 0), 8 (block 1), 15 (block 2): 3 distinct weeks of the last 4 → habitual.
        var habitual = Customer() with { Purchases = [Line(1), Line(2), Line(8), Line(15)] };
        var v = Eval(play, habitual);
        Assert.Equal(ReasonKind.Exclusion, v.FirstBlocking!.Kind);
        Assert.Equal("bought Grocery in 3 of the last 4 weeks", v.FirstBlocking.CustomerValue);
        // Ages 1, 2, 8 and 29 (block 4, outside the 4-week window): 2 weeks → not habitual.
        Assert.True(Eval(play, Customer() with { Purchases = [Line(1), Line(2), Line(8), Line(29)] }).Eligible);
        // Exactly 28 days ago is block 4: outside.
        Assert.Equal(2, Eligibility.WeeksBought(Prepare(Customer() with { Purchases = [Line(1), Line(8), Line(28)] }, Now), "Grocery", 4));
        // The rule is about discounts: a content-only play (or bonus points) still reaches the habitual buyer.
        var content = play with { Offer = Offer.NoIncentive with { Category = "Grocery" } };
        var ok = Eval(content, habitual);
        Assert.True(ok.Eligible);
        Assert.Contains("not a discount", ok.Reasons.Single(r => r.Kind == ReasonKind.Exclusion).CustomerValue);
    }

    [Fact]
    public void Context_WeekdayAndDaypart_InTheCustomersZone_HomeStoreAndRegion()
    {
        // Tuesday 24 November 2026 11:30 UTC: 11:30 in London (morning), 06:30 in New York (morning), 20:30 in Tokyo (evening).
        var at = Utc(2026, 11, 24, 11, 30);
        var morning = Play() with { Audience = new Audience([], SegmentMatch.Any, null, [], new ContextConditions([DayOfWeek.Tuesday], ["morning"], null, null)) };
        Assert.True(Eval(morning, Customer(), at).Eligible);
        var tokyo = Eval(morning, Customer("Asia/Tokyo"), at);
        Assert.Equal(ReasonKind.Context, tokyo.FirstBlocking!.Kind);
        Assert.Equal("evening (20:30 Asia/Tokyo)", tokyo.FirstBlocking.CustomerValue);
        // 23:30 UTC Tuesday is already Wednesday in Tokyo.
        var wednesday = Eval(morning, Customer("Asia/Tokyo"), Utc(2026, 11, 24, 23, 30));
        Assert.Equal("Wednesday (Asia/Tokyo)", wednesday.FirstBlocking!.CustomerValue);
        // Daypart edges follow the features' convention: 12:00 is midday, 11:59 morning, 17:00 evening.
        var midday = morning with { Audience = morning.Audience with { Context = new ContextConditions(null, ["midday"], null, null) } };
        Assert.True(Eval(midday, Customer("UTC"), Utc(2026, 11, 24, 12)).Eligible);
        Assert.False(Eval(midday, Customer("UTC"), Utc(2026, 11, 24, 11, 59)).Eligible);
        Assert.False(Eval(midday, Customer("UTC"), Utc(2026, 11, 24, 17)).Eligible);

        var store = Play() with { Audience = new Audience([], SegmentMatch.Any, null, [], new ContextConditions(null, null, ["S001"], ["Wales"])) };
        var v = Eval(store, Customer());
        Assert.Equal(["S012", "Yorkshire and the Humber"], v.Reasons.Where(r => !r.Allowed).Select(r => r.CustomerValue));
    }

    [Fact]
    public void Offer_OutsideItsValidity_OrMembersOnlyForANonMember_Blocks()
    {
        var play = Play() with { Offer = new Offer(OfferKind.MemberAccess, "early access", ValidFrom: new DateOnly(2026, 11, 25), ValidTo: new DateOnly(2026, 11, 30), MembersOnly: true) };
        // 24 November 23:30 UTC is still the 24th in London: not yet valid; 25 November 00:00 is.
        Assert.Equal(ReasonKind.Offer, Eval(play, Customer(), Utc(2026, 11, 24, 23, 30)).FirstBlocking!.Kind);
        Assert.True(Eval(play, Customer(), Utc(2026, 11, 25, 0, 0)).Eligible);
        Assert.True(Eval(play, Customer(), Utc(2026, 11, 30, 23, 59)).Eligible); // the last day is inclusive
        Assert.False(Eval(play, Customer(), Utc(2026, 12, 1, 0, 0)).Eligible);
        var nonMember = Customer() with { Profile = Customer().Profile with { LoyaltyTier = null } };
        var v = Eval(play, nonMember, Utc(2026, 11, 26));
        Assert.Equal("no loyalty tier", v.FirstBlocking!.CustomerValue);
    }

    [Fact]
    public void Conditions_AnOrRoot_IsOneReasonWithEveryValue()
    {
        var rule = new RuleGroup { Op = RuleOps.Or, Conditions = [Cond("loyalty_tier", Operators.Eq, "Gold"), Cond("bought_category", Operators.Within, category: "Garden", days: 30)] };
        var v = Eval(Play() with { Audience = new Audience([], SegmentMatch.Any, rule, [], null) }, Customer());
        var reason = v.Reasons.Single(r => r.Kind == ReasonKind.Condition);
        Assert.True(reason.Allowed);
        Assert.Equal("Loyalty tier = Gold or bought Garden in the last 30 days", reason.Rule);
        Assert.Equal("Loyalty tier: Silver; last bought Garden 2026-11-01 10:00 UTC", reason.CustomerValue);
    }

    [Fact]
    public void Trigger_NotFired_Blocks_WithTheCustomersValue()
    {
        var play = Play() with { Trigger = new LifecycleTrigger(LifecycleMoment.DaysSinceLastPurchase, 60) };
        var v = Eval(play, Customer());
        Assert.Equal(ReasonKind.Trigger, v.FirstBlocking!.Kind);
        Assert.Equal("days since last purchase ≥ 60", v.FirstBlocking.Rule);
        Assert.StartsWith("last purchase 2026-11-01: 23 days ago", v.FirstBlocking.CustomerValue);
    }
}
