namespace Workbench.Core.Data.Store;

// A statement the store refused, with the store's own message and code.
public sealed class StoreException(string message, int code) : InvalidOperationException(message)
{
    public int Code { get; } = code;
}
