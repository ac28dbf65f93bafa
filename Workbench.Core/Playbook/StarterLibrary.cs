using System.Text;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Playbook;

// The starter playbook: use cases and a few hundred plays from a few dozen templates, across the store's categories,
// regions and loyalty tiers. Deterministic: the same inputs give the same plays, ids and order. Every message shows the
// loyalty tier and points; offers run for 90 days from Start.
public sealed record StarterInputs(IReadOnlyList<string> Categories, IReadOnlyList<string> Regions, DateOnly Start)
{
    public static readonly IReadOnlyList<string> Tiers = ["Bronze", "Silver", "Gold", "Platinum"];
}

public static class StarterLibrary
{
    public const string Owner = "starter library";

    public static readonly IReadOnlyList<UseCase> UseCases =
    [
        new("uc-welcome", "Welcome new customers", Objective.Welcome, "first purchase", "second-purchase rate within 60 days", Owner, UseCaseStatus.Active),
        new("uc-cart-recovery", "Recover abandoned carts", Objective.Grow, "cart abandoned", "cart recovery rate", Owner, UseCaseStatus.Active),
        new("uc-browse-recovery", "Follow up category browsing", Objective.Grow, "category browsed, no purchase", "browse-to-purchase rate", Owner, UseCaseStatus.Active),
        new("uc-bought-together", "Bought together after a purchase", Objective.CrossSell, "after a purchase", "attach rate", Owner, UseCaseStatus.Active),
        new("uc-new-category", "Introduce a new category", Objective.CrossSell, "regular buyer of other categories", "category penetration", Owner, UseCaseStatus.Active),
        new("uc-premium", "Trade up to premium", Objective.Upsell, "high predicted value", "average order value", Owner, UseCaseStatus.Active),
        new("uc-replenish", "Replenish on time", Objective.Replenish, "expected next purchase date", "on-time repeat rate", Owner, UseCaseStatus.Active),
        new("uc-loyalty", "Reward loyalty", Objective.Retain, "points, birthdays and anniversaries", "90-day retention rate", Owner, UseCaseStatus.Active),
        new("uc-micro-moments", "Region × daypart moments", Objective.Grow, "the customer's usual shopping time", "visit rate", Owner, UseCaseStatus.Active),
        new("uc-win-back", "Win back lapsing customers", Objective.WinBack, "no purchase for months", "reactivation rate", Owner, UseCaseStatus.Active),
        new("uc-member-services", "Member-only access and services", Objective.Service, "member milestones", "member service uptake", Owner, UseCaseStatus.Active),
        new("uc-care", "Product care and advice", Objective.Service, "after a category purchase", "repeat rate after advice", Owner, UseCaseStatus.Active),
    ];

    public static PlaybookFile Generate(StarterInputs inputs)
    {
        var plays = new List<Play>();
        var until = inputs.Start.AddDays(89);
        foreach (var category in inputs.Categories.Distinct().Order(StringComparer.Ordinal))
            plays.AddRange(CategoryPlays(category, inputs.Start, until));
        foreach (var region in inputs.Regions.Where(r => r.Length > 0).Distinct().Order(StringComparer.Ordinal))
        {
            foreach (var daypart in FieldCatalog.Dayparts)
                plays.Add(RegionDaypart(region, daypart, inputs.Start, until));
            plays.Add(RegionWelcome(region));
        }
        foreach (var tier in StarterInputs.Tiers)
            plays.AddRange(TierPlays(tier, inputs.Start, until));
        return new PlaybookFile(PlaybookFile.CurrentFormat, UseCases, plays);
    }

    private static IEnumerable<Play> CategoryPlays(string cat, DateOnly from, DateOnly until)
    {
        var s = Slug(cat);
        var offer10 = new Offer(OfferKind.PercentOff, $"10% off {cat}", 10, 20, from, until, 2.5, -0.1, cat);
        var offer20 = new Offer(OfferKind.PercentOff, $"20% off {cat}", 20, 30, from, until, 6, -0.2, cat);
        var recent = new RecentCategoryPurchaseExclusion(null, 14);
        var habitual = new HabitualBuyerExclusion(null, 4, 8);
        var bought = (int days) => Cond("bought_category", Operators.Within, category: cat, days: days);

        yield return P($"cart-{s}", $"Cart left with {cat}: reminder", "uc-cart-recovery",
            new EventTrigger("cart_abandon", cat, 120, PurchaseCheck.Any, 24), Aud(), Offer.NoIncentive,
            new RecommendationSlot(RecommendationRule.BoughtTogether, 3, 0.001), [PlayChannels.Email, PlayChannels.Push], 80, 4.5, 3, $"cart-{s}",
            Email($"Still thinking it over, {{{{ first_name | default: \"there\" }}}}?", $"Your {cat} picks are waiting", "We kept your basket just as you left it.", true),
            Push("Your basket is waiting", $"Your {cat} picks are still there."));
        yield return P($"cart-addon-{s}", $"Cart with {cat}: add-on ideas in the app", "uc-cart-recovery",
            new EventTrigger("cart_add", cat, 30, PurchaseCheck.Any, 6), Aud(), Offer.NoIncentive,
            new RecommendationSlot(RecommendationRule.BoughtTogether, 2, 0.001), [PlayChannels.App], 60, 1.5, 1, $"cart-{s}",
            App("Goes well with your basket", "{% for p in recommended_products %}{{ p.name }}{% unless forloop.last %}, {% endunless %}{% endfor %}"));
        yield return P($"browse-{s}", $"Browsed {cat}, no purchase in 3 days", "uc-browse-recovery",
            new EventTrigger("product_view", cat, 3 * 1440, PurchaseCheck.SameCategory, 48), Aud(null, recent, habitual), offer10,
            new RecommendationSlot(RecommendationRule.TopCategoryBestSellers, 3), [PlayChannels.Email], 70, 3.2, 14, $"discount-{s}",
            Email($"Something from {cat}, {{{{ first_name | default: \"friend\" }}}}?", $"Still looking at {cat}?", $"Take {{{{ offer.value }}}}% off {cat} until {{{{ offer.valid_to }}}}.", true));
        yield return P($"browse-push-{s}", $"Browsed {cat} yesterday: a nudge", "uc-browse-recovery",
            new EventTrigger("product_view", cat, 1440, PurchaseCheck.Any, 24), Aud(), Offer.NoIncentive, null, [PlayChannels.Push], 40, 1.1, 7, null,
            Push($"{cat} you looked at", "Back in stock and ready when you are."));
        yield return P($"post-purchase-{s}", $"Bought {cat}: bought-together e-mail", "uc-bought-together",
            new LifecycleTrigger(LifecycleMoment.DaysSinceLastPurchase, 1), Aud(Rule(bought(3))), Offer.NoIncentive,
            new RecommendationSlot(RecommendationRule.BoughtTogether, 4, 0.001), [PlayChannels.Email], 75, 3.8, 14, $"post-{s}",
            Email("Thanks for your order, {{ first_name | default: \"there\" }}", "Customers who bought this also bought", $"A few things that go with your {cat} order.", true));
        yield return P($"new-category-{s}", $"Introduce {cat} to regular buyers of other categories", "uc-new-category",
            new ScheduledTrigger("0 10 * * TUE", 24),
            Aud(Rule(Cond("top_category_1", Operators.Ne, value: cat), Cond("orders", Operators.Gte, number: 3), Cond("bought_category", Operators.NotWithin, category: cat, days: 365)), recent),
            offer10, null, [PlayChannels.Email], 55, 2.4, 30, $"discount-{s}",
            Email($"Have you tried our {cat}?", $"New to you: {cat}", $"{{{{ offer.value }}}}% off your first {cat} order.", false));
        yield return P($"top-category-{s}", $"Best sellers for {cat} fans", "uc-bought-together",
            new ScheduledTrigger("0 9 * * FRI", 24), Aud(Rule(Cond("top_category_1", Operators.Eq, value: cat))),
            new Offer(OfferKind.BonusPoints, "200 bonus points", 200, 25, from, until, 2, -0.02, cat),
            new RecommendationSlot(RecommendationRule.TopCategoryBestSellers, 4), [PlayChannels.Email, PlayChannels.App], 50, 2.8, 14, null,
            Email($"This week's {cat} best sellers", $"Best sellers in {{{{ top_category | default: \"{cat}\" }}}}", "Earn {{ offer.value }} bonus points on any of them.", true),
            App($"{cat} best sellers", "Earn {{ offer.value }} bonus points this week."));
        yield return P($"premium-{s}", $"Premium {cat} for high-value customers", "uc-premium",
            new ScheduledTrigger("0 11 1 * *", 48), Aud(Rule(Cond("top_category_1", Operators.Eq, value: cat), Cond("predicted_value_12m", Operators.Gte, number: 300))),
            Offer.NoIncentive, new RecommendationSlot(RecommendationRule.TopCategoryBestSellers, 3), [PlayChannels.Email], 45, 5.5, 30, null,
            Email($"Our finest {cat}", "Chosen for you", "Hand-picked premium pieces we think you'll love.", true));
        yield return P($"replenish-{s}", $"Time to restock {cat}", "uc-replenish",
            new LifecycleTrigger(LifecycleMoment.ExpectedNextPurchaseReached, 7), Aud(Rule(Cond("top_category_1", Operators.Eq, value: cat))),
            Offer.NoIncentive, new RecommendationSlot(RecommendationRule.TopCategoryBestSellers, 3), [PlayChannels.Email, PlayChannels.Sms], 65, 3.5, 21, $"replenish",
            Email($"Running low on {cat}?", "Time for a top-up", "Your usual favourites are a tap away.", true),
            Sms($"{{{{ first_name | default: \"Hi\" }}}}, time to restock {cat}? Your favourites are waiting."));
        yield return P($"occasional-{s}", $"{cat} discount for occasional buyers (habitual buyers excluded)", "uc-new-category",
            new ScheduledTrigger("0 8 * * MON", 24), Aud(Rule(bought(180)), habitual), offer10, null, [PlayChannels.Email, PlayChannels.Sms], 50, 2.1, 14, $"discount-{s}",
            Email($"{{{{ offer.value }}}}% off {cat} this week", $"A treat from {cat}", $"Save {{{{ offer.value }}}}% on {cat} until {{{{ offer.valid_to }}}}.", false),
            Sms($"{{{{ offer.value }}}}% off {cat} until {{{{ offer.valid_to }}}}."));
        yield return P($"winback-{s}", $"Win back {cat} buyers after 120 days", "uc-win-back",
            new LifecycleTrigger(LifecycleMoment.DaysSinceLastPurchase, 120), Aud(Rule(Cond("top_category_1", Operators.Eq, value: cat)), recent), offer20,
            new RecommendationSlot(RecommendationRule.TopCategoryBestSellers, 3), [PlayChannels.Email, PlayChannels.Sms], 85, 6.2, 45, "winback",
            Email("We miss you, {{ first_name | default: \"friend\" }}", $"Come back to {cat}", $"{{{{ offer.value }}}}% off {cat} until {{{{ offer.valid_to }}}}.", true),
            Sms($"We miss you! {{{{ offer.value }}}}% off {cat} until {{{{ offer.valid_to }}}}."));
        yield return P($"members-early-{s}", $"Members' early access: new {cat}", "uc-member-services",
            new ScheduledTrigger("0 18 * * WED", 24), Aud(Rule(Cond("loyalty_tier", Operators.In, values: ["Gold", "Platinum"]), bought(365))),
            new Offer(OfferKind.MemberAccess, $"early access to the new {cat} collection", null, null, from, until, 0.5, 0, cat, MembersOnly: true),
            null, [PlayChannels.Email, PlayChannels.Push], 60, 2.6, 30, null,
            Email($"Members first: new {cat}", "Before anyone else", $"As a {{{{ loyalty_tier }}}} member you shop the new {cat} collection first.", false),
            Push("Members first", $"New {cat} is open to you before anyone else."));
        yield return P($"flash-{s}", $"{cat} flash sale by SMS", "uc-browse-recovery",
            new ScheduledTrigger("0 12 * * SAT", 6), Aud(Rule(bought(365), Cond("consent", Operators.Is, channel: "sms", value: "granted")), recent, habitual),
            offer20, null, [PlayChannels.Sms], 35, 1.9, 30, $"discount-{s}",
            Sms($"Flash sale: {{{{ offer.value }}}}% off {cat} today only."));
        yield return P($"care-{s}", $"Care guide after a {cat} purchase", "uc-care",
            new LifecycleTrigger(LifecycleMoment.DaysSinceLastPurchase, 7), Aud(Rule(bought(10))), Offer.NoIncentive, null,
            [PlayChannels.Email], 30, 0.9, 60, $"post-{s}",
            Email($"Getting the best from your {cat}", "Tips from our team", $"How to care for and enjoy your new {cat}.", false));
        yield return P($"first-in-{s}", $"First {cat} order: welcome to the category", "uc-welcome",
            new LifecycleTrigger(LifecycleMoment.FirstPurchase, 3), Aud(Rule(bought(3))), Offer.NoIncentive,
            new RecommendationSlot(RecommendationRule.BoughtTogether, 3, 0.001), [PlayChannels.Email, PlayChannels.App], 88, 3.9, 365, $"post-{s}",
            Email($"Welcome to {cat}, {{{{ first_name | default: \"there\" }}}}", $"Your first {cat} order", "Here is what other customers paired with it.", true),
            App($"More {cat} ideas", "Picked to go with your first order."));
        yield return P($"weekend-{s}", $"Weekend {cat} inspiration in the app", "uc-micro-moments",
            new ScheduledTrigger("0 9 * * SAT,SUN", 12),
            Aud(Rule(Cond("top_category_1", Operators.Eq, value: cat)), context: new ContextConditions([DayOfWeek.Saturday, DayOfWeek.Sunday], null, null, null)),
            Offer.NoIncentive, new RecommendationSlot(RecommendationRule.TopCategoryBestSellers, 2), [PlayChannels.App], 25, 0.7, 7, null,
            App($"Weekend {cat} ideas", "{% for p in recommended_products %}{{ p.name }}{% unless forloop.last %} · {% endunless %}{% endfor %}"));
        yield return P($"double-points-{s}", $"Double points on {cat}", "uc-loyalty",
            new ScheduledTrigger("0 9 15 * *", 24), Aud(Rule(bought(90), Cond("loyalty_tier", Operators.IsNotEmpty))),
            new Offer(OfferKind.BonusPoints, $"double points on {cat}", 2, null, from, until, 1.5, -0.03, cat, MembersOnly: true),
            null, [PlayChannels.Email, PlayChannels.Push], 40, 1.6, 30, null,
            Email($"Double points on {cat}", "Twice the points", $"Every {cat} purchase earns double points until {{{{ offer.valid_to }}}}.", false),
            Push("Double points", $"On every {cat} purchase until {{{{ offer.valid_to }}}}."));
    }

    private static Play RegionDaypart(string region, string daypart, DateOnly from, DateOnly until)
    {
        var hour = daypart switch { "morning" => 8, "midday" => 12, _ => 18 };
        return P($"moment-{Slug(region)}-{daypart}", $"{region}, {daypart}: what's on near you", "uc-micro-moments",
            new ScheduledTrigger($"0 {hour} * * *", 4),
            Aud(Rule(Cond("region", Operators.Eq, value: region), Cond("favourite_daypart", Operators.Eq, value: daypart)),
                context: new ContextConditions(null, [daypart], null, [region])),
            new Offer(OfferKind.BonusPoints, "50 bonus points on today's visit", 50, 10, from, until, 0.5, -0.01),
            null, [PlayChannels.Push, PlayChannels.App], 30, 0.8, 7, "region-daypart",
            Push($"{Greeting(daypart)}, {{{{ first_name | default: \"there\" }}}}", "50 bonus points on a visit to {{ home_store | default: \"your store\" }} today."),
            App($"Today in {region}", "50 bonus points on a visit today."));
    }

    private static Play RegionWelcome(string region) =>
        P($"welcome-{Slug(region)}", $"Welcome to new customers in {region}", "uc-welcome",
            new LifecycleTrigger(LifecycleMoment.FirstPurchase, 2), Aud(Rule(Cond("region", Operators.Eq, value: region))), Offer.NoIncentive,
            new RecommendationSlot(RecommendationRule.BoughtTogether, 3, 0.001), [PlayChannels.Email], 90, 4, 365, "welcome",
            Email("Welcome, {{ first_name | default: \"and thank you\" }}", "Welcome aboard", "Thanks for your first order. Here is what goes with it.", true));

    private static IEnumerable<Play> TierPlays(string tier, DateOnly from, DateOnly until)
    {
        var s = Slug(tier);
        var inTier = Cond("loyalty_tier", Operators.Eq, value: tier);
        var points = tier switch { "Bronze" => 100, "Silver" => 200, "Gold" => 300, _ => 500 };
        yield return P($"birthday-{s}", $"Birthday treat for {tier} members", "uc-loyalty",
            new LifecycleTrigger(LifecycleMoment.Birthday, 6), Aud(Rule(inTier)),
            new Offer(OfferKind.BonusPoints, $"{points} birthday points", points, null, from, until, points / 100.0, -0.01, MembersOnly: true),
            null, [PlayChannels.Email, PlayChannels.Sms], 95, 3, 300, "lifecycle",
            Email("Happy birthday, {{ first_name | default: \"from all of us\" }}!", "A birthday gift", "{{ offer.value }} points are on your account this week.", false),
            Sms("Happy birthday {{ first_name | default: \"\" }}! {{ offer.value }} points are on your account."));
        yield return P($"anniversary-{s}", $"Signup anniversary for {tier} members", "uc-loyalty",
            new LifecycleTrigger(LifecycleMoment.SignupAnniversary, 3), Aud(Rule(inTier)),
            new Offer(OfferKind.Gift, "an anniversary gift in store", null, 20, from, until, 4, -0.04, MembersOnly: true),
            null, [PlayChannels.Email, PlayChannels.Push], 85, 2.5, 300, "lifecycle",
            Email("Another year together, {{ first_name | default: \"friend\" }}", "Happy anniversary", "Collect your gift at {{ home_store | default: \"any store\" }} with a {{ offer.minimum_spend }} purchase.", false),
            Push("Happy anniversary!", "A gift is waiting for you in store."));
        foreach (var threshold in new[] { 500, 1000, 2500 })
        {
            yield return P($"points-{threshold}-{s}", $"{tier}: {threshold} points reached", "uc-loyalty",
                new LifecycleTrigger(LifecycleMoment.LoyaltyPointsCrossed, 2, threshold), Aud(Rule(inTier)), Offer.NoIncentive,
                new RecommendationSlot(RecommendationRule.TopCategoryBestSellers, 3), [PlayChannels.Email, PlayChannels.Push, PlayChannels.App], 70, 1.8, 30, "lifecycle",
                Email($"You've passed {threshold} points", $"{threshold} points and counting", "Here are a few ways to spend them.", true),
                Push($"{threshold} points!", "Spend them on something you'll love."),
                App($"{threshold} points unlocked", "Tap to see what they buy."));
        }
        foreach (var days in new[] { 30, 60, 120, 240 })
        {
            yield return P($"lapse-{days}-{s}", $"{tier} members quiet for {days} days", "uc-win-back",
                new LifecycleTrigger(LifecycleMoment.DaysSinceLastPurchase, days), Aud(Rule(inTier, Cond("orders", Operators.Gte, number: 2))),
                new Offer(OfferKind.AmountOff, $"£{days / 12} off", days / 12, days / 2, from, until, days / 12.0, -0.15),
                new RecommendationSlot(RecommendationRule.TopCategoryBestSellers, 3), [PlayChannels.Email, PlayChannels.Sms], 60 + days / 12, days / 30.0, 45, "winback",
                Email("It's been a while, {{ first_name | default: \"friend\" }}", "Come back for £{{ offer.value }} off", "Spend £{{ offer.minimum_spend }} and save £{{ offer.value }} until {{ offer.valid_to }}.", true),
                Sms("£{{ offer.value }} off £{{ offer.minimum_spend }} until {{ offer.valid_to }}. We miss you!"));
        }
        yield return P($"members-service-{s}", $"{tier} members: free personal styling", "uc-member-services",
            new ScheduledTrigger("0 10 1 * *", 48), Aud(Rule(inTier, Cond("orders", Operators.Gte, number: 3))),
            new Offer(OfferKind.MemberAccess, "a free personal styling session", null, null, from, until, 8, 0, MembersOnly: true),
            null, [PlayChannels.Email], 45, 2.2, 60, null,
            Email("Book your free styling session", "A service just for members", "As a {{ loyalty_tier }} member, book a free session at {{ home_store | default: \"your nearest store\" }}.", false));
        yield return P($"free-shipping-{s}", $"Free shipping week for {tier} members", "uc-member-services",
            new ScheduledTrigger("0 9 * * MON", 24), Aud(Rule(inTier, Cond("web_share", Operators.Gte, number: 0.5))),
            new Offer(OfferKind.FreeShipping, "free shipping this week", null, 15, from, until, 3.5, -0.05, MembersOnly: true),
            null, [PlayChannels.Email, PlayChannels.Push], 40, 1.4, 30, null,
            Email("Free shipping, all week", "On us this week", "Free shipping on orders over £{{ offer.minimum_spend }}.", false),
            Push("Free shipping this week", "On orders over £{{ offer.minimum_spend }}."));
    }

    private static Play P(string id, string name, string useCase, Trigger trigger, Audience audience, Offer offer, RecommendationSlot? slot,
        IReadOnlyList<string> channels, int priority, double expectedValue, int cooldown, string? group, params ChannelContent[] content) =>
        new(id, name, useCase, Owner, PlayStatus.Active, 1, trigger, audience, offer, slot, content, channels, priority, expectedValue, cooldown, group);

    private static Audience Aud(RuleGroup? rule = null, params Exclusion[] exclusions) => new([], SegmentMatch.Any, rule, exclusions, null);

    private static Audience Aud(RuleGroup? rule, ContextConditions context) => new([], SegmentMatch.Any, rule, [], context);

    private static RuleGroup Rule(params RuleCondition[] conditions) => new() { Op = RuleOps.And, Conditions = [.. conditions] };

    private static RuleCondition Cond(string field, string op, string? value = null, double? number = null, string? category = null,
        int? days = null, string? channel = null, string[]? values = null) => new()
    {
        Field = field,
        Operator = op,
        Value = value is not null ? RuleValues.Of(value) : number is { } n ? RuleValues.Of(n) : null,
        Values = values?.Select(RuleValues.Of).ToList(),
        Category = category,
        Days = days,
        Channel = channel,
    };

    // Sephora's rule: the tier and points in every message.
    private const string LoyaltyLine = "{% if loyalty_tier %}{{ loyalty_tier }} member · {{ points | default: 0 }} points{% else %}Join our loyalty club and earn points on every order{% endif %}";

    private static ChannelContent Email(string subject, string headline, string body, bool products)
    {
        var sb = new StringBuilder();
        sb.Append("<h1>").Append(headline).Append("</h1>\n<p>Hi {{ first_name | default: \"there\" }},</p>\n<p>").Append(body).Append("</p>\n");
        if (products)
            sb.Append("{% if recommended_products.size > 0 %}<ul>{% for p in recommended_products %}<li>{{ p.name }} · £{{ p.price }}</li>{% endfor %}</ul>{% endif %}\n");
        sb.Append("<p class=\"loyalty\">").Append(LoyaltyLine).Append("</p>");
        var html = sb.ToString();
        return new ChannelContent(PlayChannels.Email,
        [
            new CreativeVariant("standard", "classic", "single-column", Subject: subject, Html: html),
            new CreativeVariant("bold", "bold", "hero", Subject: subject, Html: "<div class=\"hero\">" + html + "</div>"),
        ]);
    }

    private static ChannelContent Sms(string text) => new(PlayChannels.Sms,
        [new CreativeVariant("standard", Text: text + " {{ loyalty_tier | default: \"Member\" }}: {{ points | default: 0 }} pts")]);

    private static ChannelContent Push(string title, string body) => new(PlayChannels.Push,
        [new CreativeVariant("standard", Title: title, Body: body + " {% if loyalty_tier %}({{ loyalty_tier }}, {{ points | default: 0 }} pts){% endif %}")]);

    private static ChannelContent App(string title, string body) => new(PlayChannels.App,
        [new CreativeVariant("banner", Layout: "banner", Title: title, Body: body + " · " + LoyaltyLine)]);

    private static string Greeting(string daypart) => daypart switch { "morning" => "Good morning", "midday" => "Hello", _ => "Good evening" };

    public static string Slug(string text)
    {
        var sb = new StringBuilder();
        foreach (var ch in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(ch)) sb.Append(ch);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        return sb.ToString().Trim('-');
    }
}
