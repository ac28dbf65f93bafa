using Workbench.Core.Playbook;

namespace Workbench.Tests.Core.Playbook;

public sealed class PlaysNowTests
{
    private static CustomerPlay Row(string play, string channel, int priority, EligibilityReason? blocking) =>
        new(play, $"Play {play}", "uc-1", channel, priority, 1.0, blocking is null, [], blocking, null, []);

    private static EligibilityReason Blocked(ReasonKind kind) => new(kind, false, kind.ToString(), "value");

    [Fact]
    public void ByPlay_GroupsChannels_EligibleOnOneChannelIsEligible_AndTheFurthestChannelNamesTheBlock()
    {
        var plays = new CustomerPlays("C1", PlaybookFixture.Now, null, 3,
            [Row("a", "email", 50, null)],
            [
                Row("b", "email", 90, Blocked(ReasonKind.Trigger)),
                Row("b", "sms", 90, Blocked(ReasonKind.Consent)),
                Row("a", "sms", 50, Blocked(ReasonKind.Consent)),
                Row("c", "push", 10, Blocked(ReasonKind.Consent)),
                Row("c", "app", 10, Blocked(ReasonKind.Consent)),
            ]);

        var byPlay = PlaysNow.ByPlay(plays);

        Assert.Equal(["b", "a", "c"], byPlay.Select(p => p.PlayId));
        var a = byPlay[1];
        Assert.True(a.IsEligible);
        Assert.Equal(["email"], a.Eligible.Select(x => x.Channel));
        Assert.Null(a.FirstBlocked);
        // b got past the consent to its trigger on email; sms stopped at its consent: the trigger is b's reason.
        Assert.Equal(("email", ReasonKind.Trigger), (byPlay[0].FirstBlocked!.Channel, byPlay[0].FirstBlocked!.FirstBlocking!.Kind));
        // A tie goes to the play's first channel.
        Assert.Equal("push", byPlay[2].FirstBlocked!.Channel);
    }
}
