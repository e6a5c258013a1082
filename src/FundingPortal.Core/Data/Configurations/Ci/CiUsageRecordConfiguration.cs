namespace FundingPortal.Core.Data.Configurations;

internal sealed class CiUsageRecordConfiguration : IEntityTypeConfiguration<CiUsageRecord>
{
    public void Configure(EntityTypeBuilder<CiUsageRecord> builder)
    {
        builder.Property(r => r.ExternalId).HasMaxLength(200);
        builder.Property(r => r.Project).HasMaxLength(200);
        builder.Property(r => r.Pipeline).HasMaxLength(200);
        builder.Property(r => r.JobName).HasMaxLength(200);
        builder.Property(r => r.RunnerType).HasMaxLength(100);
        builder.Property(r => r.Currency).HasMaxLength(3);
        builder.Property(r => r.ProviderStatus).HasMaxLength(60);
        // No foreign keys on purpose (ADR 13): every row of a batch has the batch's provider and id, so an import checks them once
        // per batch, not once per row; a rollback deletes the batch's records by id itself.
        builder.HasIndex(r => new { r.ProviderId, r.ExternalId }).IsUnique();
        builder.HasIndex(r => new { r.ProviderId, r.StartedAt });
        builder.HasIndex(r => new { r.JobName, r.StartedAt });
        // The duration spread reads one job's runs in a period ordered by duration: this index answers it without the table.
        builder.HasIndex(r => new { r.ProviderId, r.Project, r.JobName, r.StartedAt, r.DurationSeconds, r.Status });
        builder.HasIndex(r => r.StartedAt);
        builder.HasIndex(r => r.BatchId);
    }
}
