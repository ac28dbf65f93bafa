namespace Workbench.Features.Import;

public enum ImportPageState { Idle, Uploading, Previewing, Importing, Done }
