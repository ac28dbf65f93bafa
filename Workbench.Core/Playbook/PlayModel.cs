using System.Text.Json.Serialization;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Playbook;

public enum Objective { Welcome, Grow, CrossSell, Upsell, Replenish, Retain, WinBack, Service }

public enum UseCaseStatus { Proposed, Active, Retired }

public enum PlayStatus { Draft, InReview, Active, Retired }

// A personalization opportunity; its plays carry it out.
public sealed record UseCase(
    string Id,
    string Name,
    Objective Objective,
    string JourneyMoment,
    string Kpi,
    string Owner,
    UseCaseStatus Status);

// Trigger + audience + offer + content + channels. Nullable parts without a default are written as null, so a file
// shows every part of a play and an import that leaves one out is refused.
// Channels lists where the play may be sent; Content holds one entry
// per channel with its named creative variants. CooldownDays: days after a contact with this play before the next.
// ExclusionGroup: plays of one group never reach a customer in the same week (Eligibility states the week).
public sealed record Play(
    string Id,
    string Name,
    string UseCaseId,
    string Owner,
    PlayStatus Status,
    int Version,
    Trigger Trigger,
    Audience Audience,
    Offer Offer,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] RecommendationSlot? Recommendations,
    IReadOnlyList<ChannelContent> Content,
    IReadOnlyList<string> Channels,
    int Priority,
    double ExpectedValue,
    int CooldownDays,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ExclusionGroup)
{
    public ChannelContent? ContentFor(string channel)
    {
        for (var i = 0; i < Content.Count; i++)
            if (Content[i].Channel == channel) return Content[i];
        return null;
    }
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(EventTrigger), "event")]
[JsonDerivedType(typeof(LifecycleTrigger), "lifecycle")]
[JsonDerivedType(typeof(ScheduledTrigger), "scheduled")]
public abstract record Trigger;

public enum PurchaseCheck { None, Any, SameCategory }

// An event of EventType (of Category when given) at least DelayMinutes ago and at most DelayMinutes + ExpiresAfterHours
// ago, with no purchase (of any kind, or of the event's category) from the event until now.
public sealed record EventTrigger(
    string EventType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Category,
    int DelayMinutes,
    PurchaseCheck WithoutPurchase,
    int ExpiresAfterHours) : Trigger;

public enum LifecycleMoment
{
    DaysSinceLastPurchase,
    ExpectedNextPurchaseReached,
    SignupAnniversary,
    Birthday,
    LoyaltyPointsCrossed,
    FirstPurchase,
}

// Days: the N of "days since last purchase ≥ N"; for the expected next purchase, anniversary and birthday the days
// the moment stays open (0 = that day only); for a first purchase the days after it. Points: the threshold crossed.
public sealed record LifecycleTrigger(LifecycleMoment Moment, int? Days = null, long? Points = null) : Trigger;

// A batch on a cron schedule (Cronos, five fields) in the store's time zone: fires within WindowHours after an occurrence.
public sealed record ScheduledTrigger(string Cron, int WindowHours) : Trigger;

public enum SegmentMatch { Any, All }

// Who may get the play: members of the saved segments (none listed = everyone), matching Conditions (the segment rule
// language), not caught by an exclusion, in the context (the customer's weekday, daypart, home store, region).
public sealed record Audience(
    IReadOnlyList<long> SegmentIds,
    SegmentMatch Match,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] RuleGroup? Conditions,
    IReadOnlyList<Exclusion> Exclusions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ContextConditions? Context);

[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(RecentCategoryPurchaseExclusion), "recent_category_purchase")]
[JsonDerivedType(typeof(HabitualBuyerExclusion), "habitual_buyer")]
public abstract record Exclusion;

// "Bought the promoted category in the last N days": Category null means the offer's category.
public sealed record RecentCategoryPurchaseExclusion([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Category, int Days) : Exclusion;

// "Habitual buyer of the category: no discount": bought the category in at least MinWeeks of the last WindowWeeks
// weeks (rolling 7-day blocks ending now). Applies only to a discount offer (percent or amount off).
public sealed record HabitualBuyerExclusion([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Category, int MinWeeks, int WindowWeeks) : Exclusion;

// Each list empty or null = no restriction. Weekdays and dayparts are read in the customer's time zone.
public sealed record ContextConditions(
    IReadOnlyList<DayOfWeek>? Weekdays = null,
    IReadOnlyList<string>? Dayparts = null,
    IReadOnlyList<string>? HomeStores = null,
    IReadOnlyList<string>? Regions = null);

public enum OfferKind { None, PercentOff, AmountOff, FreeShipping, BonusPoints, Gift, MemberAccess }

// Value: percent (0–100), amount, or points; Category: the promoted category, if any. Validity dates are inclusive,
// read in the customer's time zone. MembersOnly: only loyalty members (a tier on the profile) may get it.
public sealed record Offer(
    OfferKind Kind,
    string? Description = null,
    double? Value = null,
    double? MinimumSpend = null,
    DateOnly? ValidFrom = null,
    DateOnly? ValidTo = null,
    double? CostPerRedemption = null,
    double? MarginImpact = null,
    string? Category = null,
    bool MembersOnly = false)
{
    public static readonly Offer NoIncentive = new(OfferKind.None);

    [JsonIgnore]
    public bool IsIncentive => Kind != OfferKind.None;

    [JsonIgnore]
    public bool IsDiscount => Kind is OfferKind.PercentOff or OfferKind.AmountOff;
}

public enum RecommendationRule { BoughtTogether, TopCategoryBestSellers, FixedList }

public sealed record RecommendationSlot(
    RecommendationRule Rule,
    int Count,
    double MinSupport = 0,
    IReadOnlyList<string>? FixedSkus = null);

public sealed record ChannelContent(string Channel, IReadOnlyList<CreativeVariant> Variants);

// One alternative of a channel's message. The parts a channel needs: email Subject + Html, sms Text,
// push Title + Body, app (banner) Title + Body.
public sealed record CreativeVariant(
    string Name,
    string? Theme = null,
    string? Layout = null,
    string? Subject = null,
    string? Html = null,
    string? Text = null,
    string? Title = null,
    string? Body = null);

public static class PlayChannels
{
    public const string Email = "email", Sms = "sms", Push = "push", App = "app";

    public static readonly IReadOnlyList<string> WithContent = [Email, Sms, Push, App];

    // The parts of a variant a channel sends, by their JSON name.
    public static IReadOnlyList<string> Parts(string channel) => channel switch
    {
        Email => ["subject", "html"],
        Sms => ["text"],
        Push or App => ["title", "body"],
        _ => [],
    };

    public static string? Part(CreativeVariant v, string part) => part switch
    {
        "subject" => v.Subject,
        "html" => v.Html,
        "text" => v.Text,
        "title" => v.Title,
        "body" => v.Body,
        _ => null,
    };
}

// The file plays import from and export to.
public sealed record PlaybookFile(int Format, IReadOnlyList<UseCase> UseCases, IReadOnlyList<Play> Plays)
{
    public const int CurrentFormat = 1;
}
