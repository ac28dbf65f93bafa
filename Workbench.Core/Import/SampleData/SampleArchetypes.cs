namespace Workbench.Core.Import.SampleData;

internal enum ChannelProfile : byte { StoreOnly, WebMostly, AppUser, Omni }

internal enum EventType : byte { PageView, ProductView, Search, CartAdd, CartAbandon, AppOpen, StoreVisit, EmailOpen, EmailClick }

internal enum EventChannel : byte { Web, App, Store, Email }

internal enum ContactChannel : byte { Email, Sms, Push, App, Mail }

// A kind of shopper: how they fill a basket, use discounts, browse and return. How often and how long they buy comes
// from the purchase model (SamplePurchaseModel); the archetype follows from it (see SampleArchetypes.Assign).
internal sealed record SampleArchetype(
    string Name,
    double[] LinesCdf,
    double DiscountChance,
    double FavouriteShare,
    bool Broad,
    double MemberChance,
    double[] ProfileCdf,
    double BrowsePerYear,
    double AbandonsPerYear,
    double ReturnFactor,
    double EmailGrant)
{
    public bool Buys => Name != "browser, never bought";
}

internal static class SampleArchetypes
{
    public const int OneTime = 0, Occasional = 1, PromoHunter = 2, CrossCategory = 3, LoyalCore = 4, Browser = 5;

    // Customers who never buy: events and consents only.
    public const double BrowserShare = 0.05;

    // The loyal core: at least 18 purchase days a year while active (λ ≥ 0.35 a week) and at least five expected
    // before dropping out (λ/p ≥ 5); about a tenth of the buyers under the model's parameters.
    public const double LoyalMinRate = 0.35, LoyalMinRateOverDropout = 5;

    // The other repeat buyers: promo hunters, cross-category shoppers and occasional shoppers in these proportions.
    private static readonly double[] RepeaterCdf = Cdf.From([0.60, 0.18, 0.22]);

    // Lines per order, from one line up.
    private static readonly double[] SmallBasket = Cdf.From([0.45, 0.28, 0.14, 0.07, 0.04, 0.02]);
    private static readonly double[] StandardBasket = Cdf.From([0.3, 0.25, 0.17, 0.11, 0.07, 0.05, 0.03, 0.02]);
    private static readonly double[] WeeklyShop = Cdf.From([0.12, 0.14, 0.14, 0.13, 0.11, 0.09, 0.08, 0.06, 0.05, 0.04, 0.02, 0.02]);

    // Profiles: store only, mostly web, app user, omnichannel.
    public static readonly SampleArchetype[] All =
    [
        new("one-time buyer", SmallBasket, 0.10, 0.6, false, 0.45, Cdf.From([0.40, 0.35, 0.10, 0.15]), 0.8, 0.4, 1.2, 0.60),
        new("occasional", StandardBasket, 0.12, 0.55, false, 0.75, Cdf.From([0.35, 0.30, 0.15, 0.20]), 1.5, 0.8, 1.0, 0.70),
        new("promo hunter", StandardBasket, 0.80, 0.4, false, 0.90, Cdf.From([0.15, 0.35, 0.30, 0.20]), 5, 3, 1.3, 0.90),
        new("cross-category", StandardBasket, 0.15, 0.0, true, 0.85, Cdf.From([0.20, 0.20, 0.25, 0.35]), 3, 1.5, 1.0, 0.75),
        new("loyal core", WeeklyShop, 0.15, 0.6, false, 0.98, Cdf.From([0.40, 0.10, 0.25, 0.25]), 4, 1.5, 0.8, 0.80),
        new("browser, never bought", SmallBasket, 0.0, 0.5, false, 0.30, Cdf.From([0.0, 0.55, 0.30, 0.15]), 6, 2.5, 0, 0.65),
    ];

    // Purchase channel per profile: store, web, app.
    public static readonly double[][] ChannelCdf =
    [
        Cdf.From([1.0, 0.0, 0.0]),
        Cdf.From([0.2, 0.8, 0.0]),
        Cdf.From([0.35, 0.10, 0.55]),
        Cdf.From([0.45, 0.35, 0.20]),
    ];

    // A buyer's archetype from their purchase history: one purchase day so far makes a one-time buyer; a high rate with
    // a long expected life the loyal core; the other repeat buyers are drawn in RepeaterCdf's proportions.
    public static int Assign(SampleRandom rng, in PurchaseHistory history)
    {
        if (history.Count <= 1) return OneTime;
        if (history.Rate >= LoyalMinRate && history.Rate >= LoyalMinRateOverDropout * history.Dropout) return LoyalCore;
        return rng.Pick(RepeaterCdf) switch
        {
            0 => Occasional,
            1 => PromoHunter,
            _ => CrossCategory,
        };
    }

    public static bool HasApp(ChannelProfile profile) => profile is ChannelProfile.AppUser or ChannelProfile.Omni;
}
