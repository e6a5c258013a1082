namespace FundingPortal.Core.Domain;

public enum ImportFormat
{
    GitHubActionsCsv,
    GitHubActionsEnhancedCsv,
    GitLabJobsJson,
    CircleCiUsageCsv,
    GenericCsv,
}
