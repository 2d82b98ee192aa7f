namespace LightNvr.Data;

/// <summary>What an import found in one upstream table and how many of those rows were new here.</summary>
public sealed record TableImport(string Table, long Found, long Added)
{
    public long AlreadyHere => Found - Added;
}
