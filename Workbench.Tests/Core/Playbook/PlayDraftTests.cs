using Workbench.Core.Playbook;

namespace Workbench.Tests.Core.Playbook;

public sealed class PlayDraftTests
{
    private static readonly IReadOnlyList<UseCase> UseCases = StarterLibrary.UseCases;
    private static readonly PlayValidationContext Context = new(new HashSet<long> { 4 }, UseCases.Select(u => u.Id).ToHashSet());

    [Fact]
    public void New_Blank_WithObjectiveSegmentAndChannel_IsAValidDraftForThem()
    {
        var play = PlayDraft.New(null, "maria", UseCases, Objective.WinBack, 4, "sms");

        Assert.Equal(("", PlayStatus.Draft, 1, "maria"), (play.Id, play.Status, play.Version, play.Owner));
        Assert.Equal("uc-win-back", play.UseCaseId);
        Assert.Equal([4L], play.Audience.SegmentIds);
        Assert.Equal(["sms"], play.Channels);
        Assert.NotNull(play.ContentFor("sms"));
        // Only the id is missing (the store gives one on create).
        Assert.Equal(["id"], PlayValidator.Validate(play, Context).Where(m => m.Severity == Severity.Error).Select(m => m.Field));
    }

    [Fact]
    public void New_FromATemplate_KeepsItsParts_AsADraftOfTheUser_AndAddsAChannelOnlyWhenMissing()
    {
        var template = StarterLibrary.Generate(new StarterInputs(["Garden"], ["Wales"], new DateOnly(2026, 12, 1))).Plays.First(p => p.Id == "winback-garden");

        var play = PlayDraft.New(template, "maria", UseCases, Objective.WinBack, null, "email");

        Assert.Equal(("", "Win back Garden buyers after 120 days (new)", PlayStatus.Draft, 1, "maria"), (play.Id, play.Name, play.Status, play.Version, play.Owner));
        Assert.Equal(template.UseCaseId, play.UseCaseId);
        Assert.Equal(template.Channels, play.Channels);
        Assert.Equal(PlaybookJson.Serialize(template with { Id = "", Name = play.Name, Owner = "maria", Status = PlayStatus.Draft }), PlaybookJson.Serialize(play));

        var pushed = PlayDraft.New(template, "maria", UseCases, Objective.Retain, null, "push");
        Assert.Equal("uc-loyalty", pushed.UseCaseId);
        Assert.Equal(["email", "sms", "push"], pushed.Channels);
        Assert.Equal("standard", pushed.ContentFor("push")!.Variants.Single().Name);
    }
}
