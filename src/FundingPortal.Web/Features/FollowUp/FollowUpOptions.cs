namespace FundingPortal.Web.Features.FollowUp;

/// <summary><c>Portal:FollowUpIntervalMinutes</c>: how often each web instance runs <see cref="FollowUpJob"/>; 0 switches it off.</summary>
public sealed class FollowUpOptions
{
    public int FollowUpIntervalMinutes { get; set; } = 60;
}
