using Workbench.Core.Playbook;
using static Workbench.Tests.Core.Playbook.PlaybookFixture;

namespace Workbench.Tests.Core.Playbook;

public sealed class TriggerEvaluatorTests
{
    private static readonly EventTrigger CartAbandon = new("cart_abandon", null, 120, PurchaseCheck.Any, 24);

    private static TriggerOutcome Eval(Trigger t, CustomerSnapshot s, DateTime now, TimeZoneInfo? store = null) =>
        TriggerEvaluator.Evaluate(t, PlaybookCustomer.Prepare(s, now, store ?? London), store ?? London);

    private static CustomerSnapshot WithCart(DateTime at, params PurchaseLine[] purchases) => Customer() with
    {
        Events = [new SnapshotEvent(at, "cart_abandon", "GAR-9", "Garden")],
        Purchases = purchases,
    };

    [Fact]
    public void Event_ExactlyTheDelayAfter_Fires_OneSecondBefore_DoesNot()
    {
        var at = Utc(2026, 11, 24, 10);
        // The delay boundary is inclusive: cart_abandon at 10:00 with a 2 h delay is due at 12:00:00 itself.
        Assert.True(Eval(CartAbandon, WithCart(at), at.AddHours(2)).Fired);
        var early = Eval(CartAbandon, WithCart(at), at.AddHours(2).AddSeconds(-1));
        Assert.False(early.Fired);
        Assert.Contains("delay has not passed", early.CustomerValue);
    }

    [Fact]
    public void Event_PurchaseAfterTheEvent_Cancels_PurchaseBefore_DoesNot()
    {
        var at = Utc(2026, 11, 24, 10);
        var after = Eval(CartAbandon, WithCart(at, new PurchaseLine("O9", at.AddMinutes(30), "GAR-9", "Garden", 1, 5)), at.AddHours(3));
        Assert.False(after.Fired);
        Assert.Contains("then a purchase", after.CustomerValue);
        // A purchase at the very time of the event counts as after it.
        Assert.False(Eval(CartAbandon, WithCart(at, new PurchaseLine("O9", at, "GAR-9", "Garden", 1, 5)), at.AddHours(3)).Fired);
        Assert.True(Eval(CartAbandon, WithCart(at, new PurchaseLine("O8", at.AddMinutes(-1), "GAR-9", "Garden", 1, 5)), at.AddHours(3)).Fired);
        // A return is not a purchase.
        Assert.True(Eval(CartAbandon, WithCart(at, new PurchaseLine("O9", at.AddMinutes(30), "GAR-9", "Garden", -1, -5)), at.AddHours(3)).Fired);
    }

    [Fact]
    public void Event_StaysOpenUntilDelayPlusExpiry_Exclusive()
    {
        var at = Utc(2026, 11, 24, 10);
        Assert.True(Eval(CartAbandon, WithCart(at), at.AddHours(26).AddTicks(-1)).Fired);
        var late = Eval(CartAbandon, WithCart(at), at.AddHours(26));
        Assert.False(late.Fired);
        Assert.Contains("past the 24 h", late.CustomerValue);
    }

    [Fact]
    public void Event_ProductViewOfACategory_WithoutAPurchaseOfThatCategoryIn3Days()
    {
        var view = new EventTrigger("product_view", "Garden", 3 * 1440, PurchaseCheck.SameCategory, 48);
        var at = Utc(2026, 11, 20, 9);
        var s = Customer() with { Events = [new SnapshotEvent(at, "product_view", "GAR-2", "Garden"), new SnapshotEvent(at, "product_view", "TOY-1", "Toys")] };
        Assert.False(Eval(view, s, at.AddDays(3).AddMinutes(-1)).Fired);
        Assert.True(Eval(view, s, at.AddDays(3)).Fired);
        // Buying another category does not cancel it; buying Garden does.
        Assert.True(Eval(view, s with { Purchases = [new PurchaseLine("O2", at.AddDays(1), "TOY-1", "Toys", 1, 9)] }, at.AddDays(3)).Fired);
        Assert.False(Eval(view, s with { Purchases = [new PurchaseLine("O2", at.AddDays(1), "GAR-3", "Garden", 1, 9)] }, at.AddDays(3)).Fired);
        // A view of another category only is no trigger.
        var toysOnly = s with { Events = [new SnapshotEvent(at, "product_view", "TOY-1", "Toys")] };
        Assert.False(Eval(view, toysOnly, at.AddDays(3)).Fired);
    }

    [Fact]
    public void DaysSinceLastPurchase_CrossesOnTheLocalCalendarDay()
    {
        var t = new LifecycleTrigger(LifecycleMoment.DaysSinceLastPurchase, 30);
        // Last purchase 2026-10-01 23:30 UTC = 2 October 00:30 in London (BST); 31 October 12:00 UTC is GMT again.
        var s = Customer() with { Features = new SnapshotFeatures(Orders: 1, LastPurchaseAt: Utc(2026, 10, 1, 23, 30)) };
        var london = Eval(t, s, Utc(2026, 10, 31, 12));
        Assert.False(london.Fired); // 2 Oct → 31 Oct local: 29 days
        Assert.Contains("29 days ago", london.CustomerValue);
        Assert.True(Eval(t, s, Utc(2026, 11, 1, 0, 0)).Fired); // 1 November local: day 30, from midnight
        // The same moments for a customer in UTC: 1 Oct → 31 Oct is already 30 days.
        var utc = s with { Profile = s.Profile with { TimeZone = "UTC" } };
        Assert.True(Eval(t, utc, Utc(2026, 10, 31, 12)).Fired);
        Assert.False(Eval(t, utc, Utc(2026, 10, 30, 23, 59)).Fired);
    }

    [Fact]
    public void DaysSinceLastPurchase_FeaturesFromAfterNow_FallBackToTheLinesBeforeNow()
    {
        // A preview of an earlier moment: the features were rebuilt later and know a purchase that has not happened yet.
        var s = Customer("UTC") with
        {
            Features = new SnapshotFeatures(Orders: 2, LastPurchaseAt: Utc(2026, 11, 20)),
            Purchases = [new PurchaseLine("O1", Utc(2026, 10, 1), "G", "Garden", 1, 5), new PurchaseLine("O2", Utc(2026, 11, 20), "G", "Garden", 1, 5)],
        };
        var r = Eval(new LifecycleTrigger(LifecycleMoment.DaysSinceLastPurchase, 30), s, Utc(2026, 11, 1, 12));
        Assert.True(r.Fired);
        Assert.StartsWith("last purchase 2026-10-01: 31 days ago", r.CustomerValue);
    }

    [Fact]
    public void DaysSinceLastPurchase_NoPurchase_DoesNotFire()
    {
        var s = Customer() with { Features = null, Purchases = [] };
        var r = Eval(new LifecycleTrigger(LifecycleMoment.DaysSinceLastPurchase, 1), s, Now);
        Assert.False(r.Fired);
        Assert.Equal("no purchase yet", r.CustomerValue);
    }

    [Theory]
    // Born 1 December; at 2026-11-30 23:30 UTC it is already 1 December in Tokyo (08:30) but not in London or New York.
    [InlineData("Asia/Tokyo", 2026, 11, 30, 23, 30, true)]
    [InlineData("Europe/London", 2026, 11, 30, 23, 30, false)]
    [InlineData("Europe/London", 2026, 12, 1, 0, 0, true)]
    [InlineData("America/New_York", 2026, 12, 1, 3, 0, false)] // 22:00 on 30 November there
    [InlineData("America/New_York", 2026, 12, 1, 5, 0, true)]
    [InlineData("Asia/Tokyo", 2026, 12, 1, 15, 0, false)] // already 2 December in Tokyo
    public void Birthday_IsTheCustomersLocalDay(string zone, int y, int mo, int d, int h, int mi, bool fired)
    {
        var s = Customer(zone) with { Profile = Customer(zone).Profile with { BirthDate = new DateOnly(1990, 12, 1) } };
        Assert.Equal(fired, Eval(new LifecycleTrigger(LifecycleMoment.Birthday), s, Utc(y, mo, d, h, mi)).Fired);
    }

    [Fact]
    public void Birthday_WithoutAZone_UsesTheStoreZone()
    {
        var s = Customer(null) with { Profile = Customer(null).Profile with { BirthDate = new DateOnly(1990, 12, 1) } };
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var r = Eval(new LifecycleTrigger(LifecycleMoment.Birthday), s, Utc(2026, 11, 30, 23, 30), tokyo);
        Assert.True(r.Fired);
        Assert.Contains("the store's", r.CustomerValue);
        Assert.False(Eval(new LifecycleTrigger(LifecycleMoment.Birthday), s, Utc(2026, 11, 30, 23, 30), London).Fired);
    }

    [Theory]
    // Convention: a 29 February birthday falls on 28 February in a year without 29 February, on 29 February otherwise.
    [InlineData(2027, 2, 28, true)]
    [InlineData(2027, 3, 1, false)]
    [InlineData(2028, 2, 28, false)]
    [InlineData(2028, 2, 29, true)]
    public void Birthday_On29February(int y, int mo, int d, bool fired)
    {
        var s = Customer("UTC") with { Profile = Customer("UTC").Profile with { BirthDate = new DateOnly(2000, 2, 29) } };
        Assert.Equal(fired, Eval(new LifecycleTrigger(LifecycleMoment.Birthday), s, Utc(y, mo, d, 12)).Fired);
    }

    [Fact]
    public void SignupAnniversary_NeedsAFullYear_AndStaysOpenItsDays_AcrossNewYear()
    {
        var t = new LifecycleTrigger(LifecycleMoment.SignupAnniversary, 3);
        var s = Customer("UTC") with { Profile = Customer("UTC").Profile with { SignupDate = new DateOnly(2025, 12, 30) } };
        Assert.False(Eval(t, s, Utc(2025, 12, 30, 12)).Fired); // the signup day itself: 0 years
        Assert.False(Eval(t, s, Utc(2026, 12, 29, 12)).Fired);
        Assert.True(Eval(t, s, Utc(2026, 12, 30, 12)).Fired);
        Assert.True(Eval(t, s, Utc(2027, 1, 2, 12)).Fired); // day 3 of the window, in the next year
        Assert.False(Eval(t, s, Utc(2027, 1, 3, 12)).Fired);
    }

    [Fact]
    public void PointsCrossed_FiresOnTheDayTheThresholdIsReached()
    {
        var t = new LifecycleTrigger(LifecycleMoment.LoyaltyPointsCrossed, 0, 1000);
        var s = Customer("UTC") with
        {
            Profile = Customer("UTC").Profile with { LoyaltyPoints = 1000 },
            PointsHistory = [new PointsReading(Utc(2026, 11, 20), 900), new PointsReading(Utc(2026, 11, 24, 9), 1000)],
        };
        Assert.True(Eval(t, s, Utc(2026, 11, 24, 23, 59)).Fired); // exactly 1000 counts as crossed
        Assert.False(Eval(t, s, Utc(2026, 11, 25, 0, 0)).Fired); // the next day, with Days 0
        Assert.True(Eval(t with { Days = 1 }, s, Utc(2026, 11, 25, 12)).Fired);
        // 999 has not crossed; a balance first seen above the threshold has no crossing day.
        var below = s with { Profile = s.Profile with { LoyaltyPoints = 999 }, PointsHistory = [new PointsReading(Utc(2026, 11, 20), 900), new PointsReading(Utc(2026, 11, 24, 9), 999)] };
        Assert.False(Eval(t, below, Utc(2026, 11, 24, 12)).Fired);
        var seenAbove = s with { PointsHistory = [new PointsReading(Utc(2026, 11, 24, 9), 1000)] };
        var r = Eval(t, seenAbove, Utc(2026, 11, 24, 12));
        Assert.False(r.Fired);
        Assert.Contains("never seen below", r.CustomerValue);
    }

    [Fact]
    public void FirstPurchase_OpenForItsDays()
    {
        var t = new LifecycleTrigger(LifecycleMoment.FirstPurchase, 2);
        var s = Customer("UTC") with { Features = new SnapshotFeatures(Orders: 1, FirstPurchaseAt: Utc(2026, 11, 22, 18)) };
        Assert.True(Eval(t, s, Utc(2026, 11, 22, 18)).Fired);
        Assert.True(Eval(t, s, Utc(2026, 11, 24, 23)).Fired);
        Assert.False(Eval(t, s, Utc(2026, 11, 25, 0)).Fired);
    }

    [Fact]
    public void ExpectedNextPurchase_FromItsDayForItsDays()
    {
        var t = new LifecycleTrigger(LifecycleMoment.ExpectedNextPurchaseReached, 7);
        var s = Customer("UTC") with { Features = new SnapshotFeatures(Orders: 3, ExpectedNextPurchaseAt: Utc(2026, 11, 20, 15)) };
        Assert.False(Eval(t, s, Utc(2026, 11, 19, 23)).Fired);
        Assert.True(Eval(t, s, Utc(2026, 11, 20, 0)).Fired);
        Assert.True(Eval(t, s, Utc(2026, 11, 27, 23)).Fired);
        Assert.False(Eval(t, s, Utc(2026, 11, 28, 0)).Fired);
        Assert.False(Eval(t, s with { Features = new SnapshotFeatures(Orders: 1) }, Now).Fired);
    }

    [Fact]
    public void Scheduled_WithinTheWindowAfterAnOccurrence_InTheStoreZone()
    {
        var t = new ScheduledTrigger("0 9 * * MON", 24);
        // 30 November 2026 is a Monday; London is on GMT, so 09:00 local = 09:00 UTC.
        Assert.True(Eval(t, Customer(), Utc(2026, 11, 30, 9)).Fired);
        Assert.False(Eval(t, Customer(), Utc(2026, 11, 30, 8, 59)).Fired);
        Assert.True(Eval(t, Customer(), Utc(2026, 12, 1, 9)).Fired); // exactly 24 h after: inclusive
        Assert.False(Eval(t, Customer(), Utc(2026, 12, 1, 9, 1)).Fired);
        // In summer the same 09:00 London is 08:00 UTC.
        Assert.True(Eval(t, Customer(), Utc(2026, 6, 1, 8)).Fired);
        Assert.False(Eval(t, Customer(), Utc(2026, 6, 1, 7, 59)).Fired);
    }

    [Fact]
    public void AnniversaryIn_29February()
    {
        Assert.Equal(new DateOnly(2027, 2, 28), TriggerEvaluator.AnniversaryIn(new DateOnly(2024, 2, 29), 2027));
        Assert.Equal(new DateOnly(2028, 2, 29), TriggerEvaluator.AnniversaryIn(new DateOnly(2024, 2, 29), 2028));
        Assert.Equal(new DateOnly(2027, 3, 1), TriggerEvaluator.AnniversaryIn(new DateOnly(2024, 3, 1), 2027));
    }
}
