using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Workbench.Core.Jobs;
using Workbench.Core.Segments;
using Workbench.Core.Segments.Rules;
using Workbench.Security;

namespace Workbench.Features.Segments;

public partial class SegmentBuilderPage
{
    // How long the editor waits after the last change before counting.
    public static TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(300);

    [Inject] private SegmentService Segments { get; set; } = null!;
    [Inject] private JobPipeline Jobs { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private IAuthorizationService Authorization { get; set; } = null!;

    private const string ReadOnlyMessage = "Your role can look at segments but not change them.";

    // The server-side check behind the hidden buttons: only roles with EditSegments save or delete.
    private async Task<bool> CanEditAsync()
    {
        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        return (await Authorization.AuthorizeAsync(user, Access.EditSegments)).Succeeded;
    }

    [Parameter] public long? Id { get; set; }
    [SupplyParameterFromQuery] public string? Template { get; set; }

    private RuleGroup? _rule;
    private string _name = "";
    private string _description = "";
    private int _version;
    private SegmentDetail? _saved;
    private bool _notFound;
    private string? _templateName, _templateDefinition;
    private long? _count;
    private SegmentKpis? _kpis;
    private IReadOnlyList<SegmentMemberRow>? _sample;
    private IReadOnlyList<string> _problems = [];
    private bool _busy, _usesFeatures, _saving, _refreshing;
    private double _elapsedMs;
    private string? _liveError, _saveProblem, _savedMessage;
    private IReadOnlyList<SegmentVersionItem>? _versions;
    private IReadOnlyList<SegmentHistoryPoint>? _history;
    private CancellationTokenSource? _live;
    private readonly CancellationTokenSource _pageLife = new();
    private long? _loadedId = -1;
    private List<BreadcrumbItem> _crumbs = [];

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedId == Id && _rule is not null) return;
        _loadedId = Id;
        _notFound = false;
        _crumbs = [new("Segments", "/segments"), new(Id is null ? "New segment" : $"Segment {Id}", null, disabled: true)];
        if (Id is { } id)
        {
            _saved = await Segments.GetAsync(id, _pageLife.Token);
            if (_saved is null) { _notFound = true; return; }
            (_name, _description, _version) = (_saved.Name, _saved.Description, _saved.Version);
            _rule = RuleJson.Parse(_saved.RuleJson).Rule ?? new RuleGroup();
            _crumbs[1] = new(_saved.Name, null, disabled: true);
            await LoadSavedExtrasAsync(id);
        }
        else
        {
            var template = Template is null ? null
                : SegmentTemplates.Find(Template)
                  ?? (Template.StartsWith("micro:", StringComparison.Ordinal) ? SegmentTemplates.MicroSegments([Template.Split(':')[1]]).FirstOrDefault(t => t.Id == Template) : null);
            _rule = template?.Rule ?? new RuleGroup();
            (_name, _templateName, _templateDefinition) = (template?.Name ?? "", template?.Name, template?.Definition);
        }
        Schedule(TimeSpan.Zero);
    }

    private async Task LoadSavedExtrasAsync(long id)
    {
        _versions = await Segments.VersionsAsync(id, _pageLife.Token);
        _history = await Segments.HistoryAsync(id, _pageLife.Token);
    }

    private void OnRuleChanged()
    {
        _savedMessage = null;
        Schedule(Debounce);
    }

    // Every change restarts the wait; a newer change cancels the count in flight.
    private void Schedule(TimeSpan delay)
    {
        _live?.Cancel();
        _live?.Dispose();
        _live = CancellationTokenSource.CreateLinkedTokenSource(_pageLife.Token);
        _ = EvaluateAsync(delay, _live.Token);
    }

    private async Task EvaluateAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, ct);
            // Read the rule being edited only on the renderer's context; the queries run on a snapshot.
            RuleGroup? rule = null;
            await InvokeAsync(() =>
            {
                if (ct.IsCancellationRequested) return;
                _problems = RuleValidator.Validate(_rule!);
                _liveError = null;
                if (_problems.Count > 0) _count = null;
                else
                {
                    rule = RuleJson.Parse(RuleJson.Serialize(_rule!)).Rule!;
                    _usesFeatures = FieldCatalog.UsesFeatures(rule);
                    _busy = true;
                }
                StateHasChanged();
            });
            if (rule is null) return;

            // The count first (the number the editor watches), then KPIs and the sample.
            var watch = Stopwatch.StartNew();
            var count = await Segments.CountAsync(rule, ct);
            var elapsed = watch.Elapsed.TotalMilliseconds;
            await Apply(() => (_count, _elapsedMs) = (count, elapsed), ct);
            var kpis = await Segments.KpisAsync(rule, ct);
            var sample = await Segments.SampleAsync(rule, 20, ct);
            await Apply(() => (_kpis, _sample, _busy) = (kpis, sample, false), ct);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            await InvokeAsync(() =>
            {
                _busy = false;
                _liveError = "Could not count: " + e.Message;
                StateHasChanged();
            });
        }
    }

    private Task Apply(Action apply, CancellationToken ct) => InvokeAsync(() =>
    {
        ct.ThrowIfCancellationRequested();
        apply();
        StateHasChanged();
    });

    private async Task SaveAsync()
    {
        _saveProblem = _savedMessage = null;
        if (!await CanEditAsync())
        {
            _saveProblem = ReadOnlyMessage;
            return;
        }
        var problems = RuleValidator.Validate(_rule!);
        if (problems.Count > 0) { _saveProblem = "The rule has problems: " + string.Join("; ", problems); return; }
        _saving = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User.Identity?.Name ?? "anonymous";
            var result = await Segments.SaveAsync(new SegmentDraft(Id, _name, _description, RuleJson.Serialize(_rule!), _version), user, _pageLife.Token);
            if (!result.Saved) { _saveProblem = result.Problem; return; }
            if (Id is null) { Navigation.NavigateTo($"/segments/{result.Id}"); return; }
            _version = result.Version;
            _saved = await Segments.GetAsync(Id.Value, _pageLife.Token);
            _versions = await Segments.VersionsAsync(Id.Value, _pageLife.Token);
            _savedMessage = $"Saved as version {_version}.";
        }
        finally
        {
            _saving = false;
        }
    }

    private void LoadVersion(SegmentVersionItem version)
    {
        _rule = RuleJson.Parse(version.RuleJson).Rule ?? _rule;
        _name = version.Name;
        _savedMessage = $"Version {version.Version} loaded into the editor; save to make it current.";
        Schedule(TimeSpan.Zero);
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete segment",
            $"Delete “{_saved?.Name}” with its versions and membership history? This cannot be undone.", yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true) return;
        if (!await CanEditAsync())
        {
            _saveProblem = ReadOnlyMessage;
            return;
        }
        var user = (await Authentication.GetAuthenticationStateAsync()).User.Identity?.Name ?? "unknown";
        await Segments.DeleteAsync(Id!.Value, user, _pageLife.Token);
        Navigation.NavigateTo("/segments");
    }

    private async Task RefreshNowAsync()
    {
        if (!await CanEditAsync()) return;
        _refreshing = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User.Identity?.Name ?? "unknown";
            var result = await Jobs.RunNowAsync([SegmentMembershipsJob.JobName], user, _pageLife.Token);
            // A failed run is said where the page says problems; a good one leaves an earlier message alone.
            if (result.Problem is { } problem) _saveProblem = problem;
            await LoadSavedExtrasAsync(Id!.Value);
        }
        finally
        {
            _refreshing = false;
        }
    }

    public void Dispose()
    {
        _pageLife.Cancel();
        _live?.Dispose();
        _pageLife.Dispose();
    }
}
