namespace FundingPortal.Web.Features.CiUsage;

/// <summary>What one row of an export became: a run to store, a rejected row, or a row that is not build minutes (storage).</summary>
public abstract record ImportRow(int Line);

public sealed record RunRow(int Line, CiJobRun Run) : ImportRow(Line);

public sealed record RejectedRow(int Line, string Reason) : ImportRow(Line);

public sealed record NotMinutesRow(int Line) : ImportRow(Line);
