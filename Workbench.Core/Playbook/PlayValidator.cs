using Fluid;
using System.Text.RegularExpressions;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Playbook;

public enum Severity { Error, Warning }

// Field: the JSON path of what the message is about, e.g. "content[0].variants[1].html"; Line and Column (1-based)
// point into that text when the message is about a place in a template.
public sealed record ValidationMessage(Severity Severity, string Field, string Message, int? Line = null, int? Column = null)
{
    public override string ToString() => $"{Severity} {Field}{(Line is null ? "" : $" (line {Line}, column {Column})")}: {Message}";
}

// What validation checks a play against: the saved segments and use cases that exist now, and the SMS budget.
public sealed record PlayValidationContext(IReadOnlySet<long> SegmentIds, IReadOnlySet<string>? UseCaseIds = null, int SmsMaxSegments = 1);

public static partial class PlayValidator
{
    public const int MaxVariants = 20;
    public const int MaxTemplateLength = 100_000;

    [GeneratedRegex(@"\{\{.*?\}\}|\{%.*?%\}", RegexOptions.Singleline)]
    private static partial Regex LiquidTag();

    public static IReadOnlyList<ValidationMessage> Validate(Play play, PlayValidationContext context)
    {
        var m = new List<ValidationMessage>();
        void Error(string field, string message, int? line = null, int? column = null) => m.Add(new(Severity.Error, field, message, line, column));
        void Warn(string field, string message) => m.Add(new(Severity.Warning, field, message));

        if (string.IsNullOrWhiteSpace(play.Id)) Error("id", "a play needs an id");
        if (string.IsNullOrWhiteSpace(play.Name)) Error("name", "a play needs a name");
        if (string.IsNullOrWhiteSpace(play.Owner)) Error("owner", "a play needs an owner");
        if (string.IsNullOrWhiteSpace(play.UseCaseId)) Error("useCaseId", "a play belongs to a use case");
        else if (context.UseCaseIds is { } useCases && !useCases.Contains(play.UseCaseId)) Error("useCaseId", $"use case '{play.UseCaseId}' does not exist");
        if (play.Version < 1) Error("version", "the version starts at 1");
        if (play.Priority is < 0 or > 1000) Error("priority", "priority is a whole number from 0 to 1000");
        if (!double.IsFinite(play.ExpectedValue) || play.ExpectedValue < 0) Error("expectedValue", "expected value is a number ≥ 0");
        if (play.CooldownDays is < 0 or > 3650) Error("cooldownDays", "cooldown is 0 to 3650 days");

        Trigger(play.Trigger, Error);
        Audience(play, context, Error);
        Offer(play.Offer, Error, Warn);
        Recommendations(play.Recommendations, Error);
        Content(play, context, Error, Warn);
        return m;
    }

    private static void Trigger(Trigger trigger, Action<string, string, int?, int?> error)
    {
        void Error(string f, string msg) => error(f, msg, null, null);
        switch (trigger)
        {
            case EventTrigger e:
                if (string.IsNullOrWhiteSpace(e.EventType)) Error("trigger.eventType", "an event trigger names an event type (cart_abandon, product_view…)");
                if (e.DelayMinutes is < 0 or > 525_600) Error("trigger.delayMinutes", "the delay is 0 to 525600 minutes (a year)");
                if (e.ExpiresAfterHours is < 1 or > 8760) Error("trigger.expiresAfterHours", "the trigger stays open 1 to 8760 hours after its delay");
                if (e.WithoutPurchase == PurchaseCheck.SameCategory && e.Category is null)
                    Error("trigger.category", "'without a purchase of the same category' needs the event's category");
                break;
            case LifecycleTrigger l:
                if (l.Days is < 0 or > 3650) Error("trigger.days", "days are 0 to 3650");
                if (l.Moment == LifecycleMoment.DaysSinceLastPurchase && l.Days is null) Error("trigger.days", "days since last purchase needs N (days ≥ N)");
                if (l.Moment == LifecycleMoment.LoyaltyPointsCrossed && l.Points is not > 0) Error("trigger.points", "a points threshold is a whole number > 0");
                break;
            case ScheduledTrigger s:
                if (!TriggerEvaluator.TryParseCron(s.Cron, out _)) Error("trigger.cron", $"'{s.Cron}' is not a cron schedule (five fields, e.g. \"0 9 * * MON\")");
                if (s.WindowHours is < 1 or > 168) Error("trigger.windowHours", "a batch stays open 1 to 168 hours");
                break;
            case null:
                Error("trigger", "a play needs a trigger");
                break;
        }
    }

    private static void Audience(Play play, PlayValidationContext context, Action<string, string, int?, int?> error)
    {
        var a = play.Audience;
        if (a is null) { error("audience", "a play needs an audience", null, null); return; }
        for (var i = 0; i < a.SegmentIds.Count; i++)
            if (!context.SegmentIds.Contains(a.SegmentIds[i]))
                error($"audience.segmentIds[{i}]", $"segment {a.SegmentIds[i]} does not exist (deleted?); pick another or remove it", null, null);
        if (a.Conditions is { } rule)
            foreach (var problem in RuleValidator.Validate(rule)) error("audience.conditions", problem, null, null);
        for (var i = 0; i < a.Exclusions.Count; i++)
        {
            var field = $"audience.exclusions[{i}]";
            switch (a.Exclusions[i])
            {
                case RecentCategoryPurchaseExclusion r:
                    if (r.Days is < 1 or > 3650) error(field + ".days", "days are 1 to 3650", null, null);
                    if (r.Category is null && play.Offer.Category is null) error(field + ".category", "name the category, or give the offer a category", null, null);
                    break;
                case HabitualBuyerExclusion h:
                    if (h.WindowWeeks is < 1 or > 520) error(field + ".windowWeeks", "the window is 1 to 520 weeks", null, null);
                    if (h.MinWeeks < 1 || h.MinWeeks > h.WindowWeeks) error(field + ".minWeeks", "habitual means bought in 1 to windowWeeks of the weeks", null, null);
                    if (h.Category is null && play.Offer.Category is null) error(field + ".category", "name the category, or give the offer a category", null, null);
                    break;
            }
        }
        if (a.Context?.Dayparts is { } parts)
            foreach (var p in parts.Where(p => !FieldCatalog.Dayparts.Contains(p)))
                error("audience.context.dayparts", $"'{p}' is not a daypart ({string.Join(", ", FieldCatalog.Dayparts)})", null, null);
    }

    private static void Offer(Offer o, Action<string, string, int?, int?> error, Action<string, string> warn)
    {
        if (o is null) { error("offer", "a play needs an offer (kind none for content only)", null, null); return; }
        if (o.IsIncentive && o.ValidTo is null) error("offer.validTo", "an offer needs a validity: give the last day it may be used", null, null);
        if (o.ValidFrom is { } from && o.ValidTo is { } to && from > to) error("offer.validFrom", "the offer starts after it ends", null, null);
        switch (o.Kind)
        {
            case OfferKind.PercentOff when o.Value is not (> 0 and <= 100):
                error("offer.value", "percent off is a number above 0 and at most 100", null, null);
                break;
            case OfferKind.AmountOff or OfferKind.BonusPoints when o.Value is not > 0:
                error("offer.value", $"{o.Kind} needs a value above 0", null, null);
                break;
        }
        if (o.MinimumSpend is < 0) error("offer.minimumSpend", "minimum spend is ≥ 0", null, null);
        if (o.IsIncentive && o.CostPerRedemption is null) warn("offer.costPerRedemption", "no estimated cost per redemption: the use case's value cannot net it off");
    }

    private static void Recommendations(RecommendationSlot? slot, Action<string, string, int?, int?> error)
    {
        if (slot is null) return;
        if (slot.Count is < 1 or > 20) error("recommendations.count", "a slot holds 1 to 20 products", null, null);
        if (slot.MinSupport is < 0 or > 1 || !double.IsFinite(slot.MinSupport)) error("recommendations.minSupport", "minimum support is a share from 0 to 1", null, null);
        if (slot.Rule == RecommendationRule.FixedList && slot.FixedSkus is not { Count: > 0 }) error("recommendations.fixedSkus", "a fixed list needs at least one sku", null, null);
    }

    private static void Content(Play play, PlayValidationContext context, Action<string, string, int?, int?> error, Action<string, string> warn)
    {
        if (play.Channels.Count == 0) error("channels", "allow at least one channel", null, null);
        foreach (var ch in play.Channels.Where(c => !PlayChannels.WithContent.Contains(c)))
            error("channels", $"'{ch}' has no content type here (use {string.Join(", ", PlayChannels.WithContent)})", null, null);
        foreach (var ch in play.Channels.Where(c => PlayChannels.WithContent.Contains(c)))
            if (play.ContentFor(ch) is not { Variants.Count: > 0 })
                error("content", $"the play allows {ch} but has no {ch} content", null, null);

        for (var i = 0; i < play.Content.Count; i++)
        {
            var content = play.Content[i];
            var prefix = $"content[{i}]";
            if (!play.Channels.Contains(content.Channel)) warn(prefix, $"{content.Channel} content, but the play does not allow {content.Channel}");
            if (content.Variants.Count > MaxVariants) error(prefix + ".variants", $"at most {MaxVariants} variants", null, null);
            foreach (var dup in content.Variants.GroupBy(v => v.Name).Where(g => g.Count() > 1))
                error(prefix + ".variants", $"variant name '{dup.Key}' is used {dup.Count()} times", null, null);
            for (var j = 0; j < content.Variants.Count; j++)
            {
                var v = content.Variants[j];
                var vfield = $"{prefix}.variants[{j}]";
                if (string.IsNullOrWhiteSpace(v.Name)) error(vfield + ".name", "a variant needs a name", null, null);
                foreach (var part in PlayChannels.Parts(content.Channel))
                    Template(content.Channel, part, PlayChannels.Part(v, part), $"{vfield}.{part}", context, error, warn);
            }
        }
    }

    private static void Template(string channel, string part, string? source, string field, PlayValidationContext context,
        Action<string, string, int?, int?> error, Action<string, string> warn)
    {
        if (string.IsNullOrWhiteSpace(source)) { error(field, $"{channel} needs its {part}", null, null); return; }
        if (source.Length > MaxTemplateLength) { error(field, $"longer than {MaxTemplateLength} characters", null, null); return; }
        var html = part == "html";
        var parsed = LiquidTemplates.Get(source, html);
        if (parsed.Template is null) { error(field, $"Liquid: {parsed.Error}", parsed.Line, parsed.Column); return; }
        foreach (var name in parsed.Variables.Where(n => !TemplateVariables.Known.ContainsKey(n)))
        {
            var (line, column) = Locate(source, name);
            error(field, $"unknown variable '{name}' (known: {string.Join(", ", TemplateVariables.Known.Keys)})", line, column);
        }
        if (html && parsed.RawOutputs.Count > 0)
            error(field, "the raw filter would put values into the HTML unencoded; remove it", null, null);
        if (parsed.Sanitized is { } s)
        {
            if (s.Removed.Count > 0) warn(field, $"unsafe or unsupported HTML is removed before sending: {string.Join("; ", s.Removed.Distinct().Take(10))}");
            if (s.LostTags > 0) warn(field, $"{s.LostTags} Liquid tag(s) sat inside removed HTML and are dropped");
        }
        if (channel == PlayChannels.Sms)
        {
            var rendered = parsed.Template.Render(SampleContext.Create(), Fluid.NullEncoder.Default);
            var sms = SmsMeter.Measure(rendered);
            if (sms.Segments > context.SmsMaxSegments)
                warn(field, $"rendered for a sample customer: {sms.Summary} (more than {context.SmsMaxSegments}; each segment is billed)");
            else if (sms.Encoding == SmsEncoding.Ucs2)
                warn(field, $"rendered for a sample customer: {sms.Summary}; a character outside GSM-7 makes the whole message UCS-2 (70 per segment)");
        }
    }

    // An SMS template measured as rendered for the sample customer (null when it does not parse), for an editor that
    // shows length and segments as the text is typed.
    public static SmsMeasure? SampleSms(string source) =>
        LiquidTemplates.Get(source, false) is { Template: { } t } ? SmsMeter.Measure(t.Render(SampleContext.Create(), Fluid.NullEncoder.Default)) : null;

    // The first place the name is read inside a Liquid tag, 1-based.
    private static (int? Line, int? Column) Locate(string source, string name)
    {
        foreach (Match tag in LiquidTag().Matches(source))
        {
            var hit = Regex.Match(tag.Value, $@"(?<![\w.]){Regex.Escape(name)}(?!\w)");
            if (!hit.Success) continue;
            var offset = tag.Index + hit.Index;
            var line = 1;
            var lineStart = 0;
            for (var i = 0; i < offset; i++)
                if (source[i] == '\n') { line++; lineStart = i + 1; }
            return (line, offset - lineStart + 1);
        }
        return (null, null);
    }
}

// A made-up customer with every variable filled at a typical length, for measuring an SMS before any real one.
internal static class SampleContext
{
    private static readonly CustomerSnapshot Sample = new(
        "C0000000",
        new CustomerProfile("Alexandra", "Whitfield", new DateOnly(1985, 6, 1), "F", "Manchester", "North West", "GB", "S012",
            new DateOnly(2024, 3, 1), "Silver", 1250, "sms", "Europe/London"),
        new SnapshotFeatures(Orders: 6, NetRevenue: 412.5, LastPurchaseAt: new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc),
            TopCategory1: "Home", TopCategory2: "Kitchen", TopCategory3: "Garden", RfmCell: "443", PredictedValue12m: 180, ProbabilityAlive: 0.8,
            FavouriteDaypart: "evening"),
        new Dictionary<string, ConsentState>(), new HashSet<long>(), [], [], [], []);

    private static readonly IReadOnlyDictionary<string, Fluid.Values.FluidValue> Values =
        TemplateVariables.Customer(PlaybookCustomer.Prepare(Sample, new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc), TimeZoneInfo.Utc));

    public static Fluid.TemplateContext Create()
    {
        var context = new Fluid.TemplateContext(LiquidTemplates.Options);
        foreach (var (k, v) in Values) context.SetValue(k, v);
        context.SetValue("offer", TemplateVariables.Offer(new Offer(OfferKind.PercentOff, "15% off", 15, 30, null, new DateOnly(2026, 12, 31), Category: "Home")));
        context.SetValue("recommended_products", TemplateVariables.Products([new RecommendedProduct("HOM-1001", "Oak Serving Board", "Home", 24.99, null, null, null, "")]));
        return context;
    }
}
