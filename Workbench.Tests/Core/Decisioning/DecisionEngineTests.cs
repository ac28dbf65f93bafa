using Workbench.Core.Decisioning;
using Workbench.Core.Playbook;
using Workbench.Tests.Core.Playbook;
using static Workbench.Tests.Core.Playbook.PlaybookFixture;

namespace Workbench.Tests.Core.Decisioning;

// The engine joins the playbook's eligibility, the score and the contact policy. Hand-checked figures: the fixture
// customer (PlaybookFixture.Customer) has a predicted 12-month value of 250.456, email granted, sms denied, email
// preferred; plays have no outcomes, so the propensity is the stated default prior mean, 2%.
public sealed class DecisionEngineTests
{
    private static readonly ContactCaps Caps = new(TimeSpan.FromDays(7), new Dictionary<string, int> { ["email"] = 2 }, 3);

    private static EngineSettings Settings(BusinessLevers? levers = null, IReadOnlyList<ContextWeightRule>? weights = null, ContactCaps? caps = null) =>
        new(caps ?? Caps, null, CappedHandling.Substitute, London, weights ?? [], levers ?? BusinessLevers.None);

    private static PlaySet Plays(params Play[] plays) => new(plays, plays.ToDictionary(p => p.Id, _ => Objective.Grow), PropensityModel.Empty);

    private static readonly Dictionary<string, string> AllReachable = [];

    [Fact]
    public void Decide_TwoEligiblePlays_ScoresEachFactorAndTheLeverDecides()
    {
        // A: margin 20 − 5 = 15, value 15 + 0.1 × 250.456 = 40.0456, score 0.02 × 40.0456 = 0.800912.
        // B: margin 12, value 12 + 25.0456 = 37.0456, lever 1.5: score 0.02 × 37.0456 × 1.5 = 1.111368.
        var a = Play("A") with { ExpectedValue = 20, Offer = new Offer(OfferKind.Gift, CostPerRedemption: 5, ValidTo: new DateOnly(2027, 1, 1)) };
        var b = Play("B") with { ExpectedValue = 12 };
        var levers = new BusinessLevers(new Dictionary<string, double> { ["B"] = 1.5 }, new Dictionary<Objective, double>());

        var result = DecisionEngine.Decide(Prepare(Customer(), Now), new DecisionContext(Now), Plays(a, b), Settings(levers), AllReachable);

        var fa = result.Verdicts.Single(v => v.PlayId == "A" && v.Channel == "email").Factors!;
        Assert.Equal((0.02, 40.0456, 1.0, 1.0), (fa.Propensity, Math.Round(fa.Value, 4), fa.ContextWeight, fa.Lever));
        Assert.Equal(0.800912, fa.Score, 6);
        Assert.Equal(1.111368, result.Ranked[0].Factors.Score, 6);
        Assert.Equal(("B", "email"), (result.Decision.Chosen!.PlayId, result.Decision.Chosen.Channel));
        Assert.Equal(["B", "A"], result.Ranked.Select(c => c.PlayId));
        Assert.Contains(result.Decision.Trace, t => t.PlayId == "A" && t.Outcome == CandidateOutcome.LowerScore && t.Reason.Contains("1.1114"));
        // sms has no consent: the playbook blocks it and says so.
        var sms = result.Verdicts.Single(v => v.PlayId == "A" && v.Channel == "sms");
        Assert.False(sms.Eligible);
        Assert.Equal(ReasonKind.Consent, sms.Playbook.FirstBlocking!.Kind);
        Assert.Equal(["email"], result.ChannelOrder);
    }

    [Fact]
    public void Decide_AnEmailThatFailsDataQuality_IsNotEligibleOnEmailWithThatReason()
    {
        var customer = Customer() with { Consents = new Dictionary<string, ConsentState> { ["email"] = new("granted", Now), ["sms"] = new("granted", Now) } };
        var unreachable = new Dictionary<string, string> { ["email"] = "invalid e-mail address" };

        var result = DecisionEngine.Decide(Prepare(customer, Now), new DecisionContext(Now), Plays(Play("A")), Settings(), unreachable);

        var email = result.Verdicts.Single(v => v.Channel == "email");
        Assert.True(email.Playbook.Eligible);
        Assert.False(email.Eligible);
        Assert.Equal("the email contact point fails data quality: invalid e-mail address", email.FirstBlocking);
        Assert.Equal(("A", "sms"), (result.Decision.Chosen!.PlayId, result.Decision.Chosen.Channel));
        Assert.Equal(["sms"], result.ChannelOrder);
    }

    [Fact]
    public void Decide_ATouchpointChannelAndAContextWeight_OnlyThatChannelIsConsideredAndTheWeightMultiplies()
    {
        var customer = Customer() with { Consents = new Dictionary<string, ConsentState> { ["email"] = new("granted", Now), ["sms"] = new("granted", Now) } };
        var rain = new ContextWeightRule("weather", "rain", Objective.Grow, 1.25);
        var sun = new ContextWeightRule("weather", "sun", null, 3);
        var context = new DecisionContext(Now, "sms", new Dictionary<string, string> { ["weather"] = "rain" });

        var result = DecisionEngine.Decide(Prepare(customer, Now), context, Plays(Play("A")), Settings(weights: [rain, sun]), AllReachable);

        Assert.All(result.Verdicts, v => Assert.Equal("sms", v.Channel));
        Assert.Equal(1.25, result.Decision.Chosen!.Factors.ContextWeight);
        Assert.Equal("sms", result.Decision.Chosen.Channel);
    }

    [Fact]
    public void Decide_OutcomesInTwoSegments_ThePropensityIsTheSegmentsRateShrunkTowardThePlays()
    {
        // By hand (Propensity's method of moments): μ = 40 / 2000 = 0.02; weighted spread = (1000·0.01² + 1000·0.01²) / 2000
        // = 0.0001; τ² = 0.0001 − 0.02·0.98·2 / 2000 = 0.0000804; κ = 0.0196 / 0.0000804 − 1 = 242.7811;
        // the customer is in segment 7 (10 of 1,000): (10 + 4.855622) / 1242.7811 = 0.0119535.
        var play = Play("A") with { Audience = new Audience([7, 9], SegmentMatch.Any, null, [], null) };
        var model = new PropensityModel(new Dictionary<string, IReadOnlyList<OutcomeCell>>
        {
            ["A"] = [new OutcomeCell("9", 1000, 30), new OutcomeCell("7", 1000, 10)],
        });
        var set = new PlaySet([play], new Dictionary<string, Objective> { ["A"] = Objective.Grow }, model);

        var result = DecisionEngine.Decide(Prepare(Customer(), Now), new DecisionContext(Now), set, Settings(), AllReachable);

        var email = result.Verdicts.Single(v => v.Channel == "email");
        Assert.Equal(0.0119535, email.Factors!.Propensity, 7);
        Assert.StartsWith("segment 7: 10 of 1,000", email.PropensitySource);
    }

    [Fact]
    public void Decide_TwoEmailsThisWeekAlready_TheEmailCapStopsTheBestPlayAndTheTraceSaysWhatItCost()
    {
        var customer = Customer() with
        {
            Contacts = [new PlayContact("old1", null, "email", Now.AddDays(-3)), new PlayContact("old2", null, "email", Now.AddDays(-1))],
        };

        var result = DecisionEngine.Decide(Prepare(customer, Now), new DecisionContext(Now), Plays(Play("A")), Settings(), AllReachable);

        Assert.Null(result.Decision.Chosen);
        Assert.Equal("A", result.Decision.LostToCap!.PlayId);
        Assert.Contains(result.Decision.Trace, t => t.Outcome == CandidateOutcome.Capped && t.Reason.Contains("2 of at most 2 email"));
    }

    // Generated customers and plays: whatever the engine sends goes on a channel with consent granted and a valid
    // contact point, never past a cap, never to a play the playbook blocks, never breaking a mutual-exclusion group.
    [Fact]
    public void Decide_ThousandsOfGeneratedCases_NeverBreaksConsentCapsOrMutualExclusion()
    {
        var random = new Random(2026);
        string[] channels = ["email", "sms", "push", "app"];
        string[] groups = ["g1", "g2"];
        var caps = new ContactCaps(TimeSpan.FromDays(7), new Dictionary<string, int> { ["email"] = 2, ["sms"] = 1 }, 3);
        var plays = Enumerable.Range(0, 12).Select(i => Play($"P{i:D2}") with
        {
            Channels = channels.Where(_ => random.NextDouble() < 0.6).DefaultIfEmpty("email").ToList(),
            Content = channels.Select(c => new ChannelContent(c, [new CreativeVariant("v", Subject: "s", Html: "<p>x</p>", Text: "t", Title: "t", Body: "b")])).ToList(),
            ExclusionGroup = random.NextDouble() < 0.5 ? groups[random.Next(2)] : null,
            ExpectedValue = random.Next(1, 50),
            CooldownDays = random.Next(0, 4),
        }).ToList();
        var set = new PlaySet(plays, plays.ToDictionary(p => p.Id, p => random.NextDouble() < 0.1 ? Objective.Service : Objective.Grow), PropensityModel.Empty);
        var sent = 0;
        for (var n = 0; n < 3000; n++)
        {
            var consents = channels.Where(_ => random.NextDouble() < 0.6).ToDictionary(c => c, c => new ConsentState(random.NextDouble() < 0.8 ? "granted" : "denied", Now));
            var contacts = Enumerable.Range(0, random.Next(0, 6))
                .Select(_ => new PlayContact(plays[random.Next(plays.Count)].Id, null, channels[random.Next(4)], Now.AddHours(-random.Next(1, 24 * 10))))
                .Select(c => c with { ExclusionGroup = plays.First(p => p.Id == c.PlayId).ExclusionGroup })
                .ToList();
            var customer = Customer() with
            {
                CustomerId = $"G{n}",
                Consents = consents,
                Contacts = contacts,
                Profile = Customer().Profile with { PreferredChannel = channels[random.Next(4)] },
            };
            var unreachable = channels.Where(_ => random.NextDouble() < 0.1).ToDictionary(c => c, _ => "invalid");
            var prepared = Prepare(customer, Now);
            var result = DecisionEngine.Decide(prepared, new DecisionContext(Now), set, new EngineSettings(caps, null, CappedHandling.Substitute, London, [], BusinessLevers.None), unreachable, fullTrace: n % 2 == 0);
            if (result.Decision.Chosen is not { } chosen) continue;
            sent++;
            Assert.True(consents.TryGetValue(chosen.Channel, out var consent) && consent.Status == "granted", $"case {n}: no consent on {chosen.Channel}");
            Assert.False(unreachable.ContainsKey(chosen.Channel), $"case {n}: an invalid contact point on {chosen.Channel}");
            var play = plays.Single(p => p.Id == chosen.PlayId);
            Assert.True(Eligibility.Evaluate(play, chosen.Channel, prepared, London).Eligible, $"case {n}: the playbook blocks {chosen.PlayId} on {chosen.Channel}");
            if (!chosen.Service)
            {
                var window = contacts.Where(c => c.At > Now - caps.Window).ToList();
                Assert.True(window.Count + 1 <= caps.Total, $"case {n}: over the total cap");
                if (caps.PerChannel.TryGetValue(chosen.Channel, out var cap))
                    Assert.True(window.Count(c => c.Channel == chosen.Channel) + 1 <= cap, $"case {n}: over the {chosen.Channel} cap");
            }
            if (play.ExclusionGroup is { } group)
            {
                var week = System.Globalization.ISOWeek.GetWeekOfYear(Now);
                Assert.DoesNotContain(contacts, c => c.ExclusionGroup == group && c.PlayId != play.Id
                    && System.Globalization.ISOWeek.GetWeekOfYear(TimeZoneInfo.ConvertTimeFromUtc(c.At, London)) == week
                    && TimeZoneInfo.ConvertTimeFromUtc(c.At, London).Year == Now.Year);
            }
        }
        Assert.True(sent > 500, $"only {sent} of 3,000 cases sent anything");
    }
}
