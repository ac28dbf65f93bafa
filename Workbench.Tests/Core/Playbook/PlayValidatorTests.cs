using Workbench.Core.Playbook;
using static Workbench.Tests.Core.Playbook.PlaybookFixture;

namespace Workbench.Tests.Core.Playbook;

public sealed class PlayValidatorTests
{
    private static readonly PlayValidationContext Context = new(new HashSet<long> { 1, 2 }, new HashSet<string> { "uc-1" });

    private static IReadOnlyList<ValidationMessage> Validate(Play p) => PlayValidator.Validate(p, Context);

    private static Play WithEmailHtml(string html) => Play() with
    {
        Channels = ["email"],
        Content = [new ChannelContent("email", [new CreativeVariant("standard", Subject: "Hello", Html: html)])],
    };

    [Fact]
    public void Validate_TheFixturePlay_HasNoMessages()
    {
        Assert.Empty(Validate(Play()));
    }

    [Fact]
    public void Validate_LiquidSyntaxError_NamesLineAndColumn()
    {
        var m = Assert.Single(Validate(WithEmailHtml("<p>Hello</p>\n<p>{% if first_name %}Hi {{ first_name }}</p>")));
        Assert.Equal(Severity.Error, m.Severity);
        Assert.Equal("content[0].variants[0].html", m.Field);
        Assert.Contains("endif", m.Message);
        Assert.NotNull(m.Line);
        Assert.NotNull(m.Column);

        var unclosed = Assert.Single(Validate(WithEmailHtml("<p>a</p>\n<p>b</p>\n<p>{{ first_name </p>")));
        Assert.Equal(3, unclosed.Line);
        Assert.True(unclosed.Column >= 4, unclosed.ToString());
    }

    [Fact]
    public void Validate_UnknownVariable_NamedWithItsPlace_LoopAndAssignedNamesAreFine()
    {
        var html = "<p>Hi {{ first_name }}</p>\n{% assign n = points | plus: 1 %}{{ n }}\n<p>{{ frist_name | default: \"x\" }}</p>"
                 + "{% for p in recommended_products %}{{ p.name }}{% endfor %}";
        var m = Assert.Single(Validate(WithEmailHtml(html)));
        Assert.Contains("unknown variable 'frist_name'", m.Message);
        Assert.Equal((3, 7), (m.Line, m.Column));
    }

    [Fact]
    public void Validate_RawFilterInHtml_IsAnError()
    {
        var m = Assert.Single(Validate(WithEmailHtml("<p>{{ first_name | raw }}</p>")));
        Assert.Contains("raw filter", m.Message);
    }

    [Fact]
    public void Validate_UnsafeHtml_IsAWarningNamingWhatIsRemoved()
    {
        var m = Assert.Single(Validate(WithEmailHtml("<p onclick=\"x()\">Hi</p><script>x()</script><a href=\"javascript:x()\">a</a>")));
        Assert.Equal(Severity.Warning, m.Severity);
        Assert.Contains("<script> element", m.Message);
        Assert.Contains("onclick attribute on <p>", m.Message);
        Assert.Contains("href=\"javascript:x()\" on <a> (unsafe address)", m.Message);
    }

    [Fact]
    public void Validate_SmsLongerThanOneSegment_IsAWarningWithTheCount()
    {
        var text = new string('a', 151) + " {{ first_name }}";
        var play = Play() with { Content = [Play().Content[0], new ChannelContent("sms", [new CreativeVariant("standard", Text: text)])] };
        var m = Assert.Single(Validate(play));
        Assert.Equal(Severity.Warning, m.Severity);
        Assert.Equal("content[1].variants[0].text", m.Field);
        // The sample customer is "Alexandra": 151 + 1 + 9 = 161 septets is two segments; one character fewer fits in one.
        Assert.Empty(Validate(play with { Content = [Play().Content[0], new ChannelContent("sms", [new CreativeVariant("standard", Text: text[1..])])] }));
        Assert.Contains("161 characters, GSM-7, 161 units, 2 segments", m.Message);
        var ucs = Validate(play with { Content = [Play().Content[0], new ChannelContent("sms", [new CreativeVariant("standard", Text: "Привет {{ first_name }}")])] });
        Assert.Contains("UCS-2", Assert.Single(ucs).Message);
    }

    [Fact]
    public void Validate_MissingContentForAnAllowedChannel()
    {
        var play = Play() with { Channels = ["email", "sms", "push"] };
        var m = Assert.Single(Validate(play));
        Assert.Equal(("content", "the play allows push but has no push content"), (m.Field, m.Message));
        var emptyPart = Play() with { Content = [new ChannelContent("email", [new CreativeVariant("a", Subject: "s")]), Play().Content[1]] };
        Assert.Equal("email needs its html", Assert.Single(Validate(emptyPart)).Message);
    }

    [Fact]
    public void Validate_OfferWithoutValidity()
    {
        var play = Play() with { Offer = new Offer(OfferKind.PercentOff, "10%", 10, CostPerRedemption: 1) };
        var m = Assert.Single(Validate(play));
        Assert.Equal("offer.validTo", m.Field);
        Assert.Empty(Validate(play with { Offer = play.Offer with { ValidTo = new DateOnly(2026, 12, 31) } }));
        Assert.Contains(Validate(play with { Offer = play.Offer with { ValidFrom = new DateOnly(2027, 1, 1), ValidTo = new DateOnly(2026, 12, 31) } }),
            x => x.Field == "offer.validFrom");
        // Content only needs no validity.
        Assert.Empty(Validate(play with { Offer = Offer.NoIncentive }));
    }

    [Fact]
    public void Validate_ASegmentThatNoLongerExists()
    {
        var play = Play() with { Audience = new Audience([1, 9], SegmentMatch.Any, null, [], null) };
        var m = Assert.Single(Validate(play));
        Assert.Equal("audience.segmentIds[1]", m.Field);
        Assert.Contains("segment 9 does not exist", m.Message);
    }

    [Fact]
    public void Validate_TriggerAudienceAndRuleProblems()
    {
        var play = Play() with
        {
            Trigger = new ScheduledTrigger("every monday", 24),
            Audience = new Audience([], SegmentMatch.Any,
                new Workbench.Core.Segments.Rules.RuleGroup { Conditions = [Cond("recency_days", "gte")] },
                [new HabitualBuyerExclusion(null, 5, 4)], new ContextConditions(null, ["night"], null, null)),
            UseCaseId = "uc-gone",
        };
        var fields = Validate(play).Select(m => m.Field).ToList();
        Assert.Equal(["useCaseId", "trigger.cron", "audience.conditions", "audience.exclusions[0].minWeeks", "audience.exclusions[0].category", "audience.context.dayparts"], fields);
    }

    [Fact]
    public void SampleSms_MeasuresTheTemplateAsRenderedForTheSampleCustomer()
    {
        // The sample customer's first name is "Alexandra" (9 letters): "Hi Alexandra!" = 13 GSM-7 characters.
        var m = PlayValidator.SampleSms("Hi {{ first_name }}!")!;
        Assert.Equal((SmsEncoding.Gsm7, 13, 1), (m.Encoding, m.Characters, m.Segments));
        Assert.Null(PlayValidator.SampleSms("Hi {{ first_name "));
    }
}
