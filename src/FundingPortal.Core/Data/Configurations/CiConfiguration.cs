using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FundingPortal.Core.Data.Configurations;

internal sealed class CiProviderConfiguration : IEntityTypeConfiguration<CiProvider>
{
    public void Configure(EntityTypeBuilder<CiProvider> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.HasIndex(p => p.Name).IsUnique();
        builder.HasMany(p => p.Prices).WithOne().HasForeignKey(p => p.ProviderId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CiRunnerPriceConfiguration : IEntityTypeConfiguration<CiRunnerPrice>
{
    public void Configure(EntityTypeBuilder<CiRunnerPrice> builder)
    {
        builder.Property(p => p.RunnerType).HasMaxLength(100);
        builder.Property(p => p.PricePerMinute).HasPrecision(18, 6);
        builder.Property(p => p.PricePerCredit).HasPrecision(18, 8);
        builder.HasIndex(p => new { p.ProviderId, p.RunnerType, p.ValidFrom }).IsUnique();
    }
}

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
        builder.HasOne<CiProvider>().WithMany().HasForeignKey(r => r.ProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ImportBatch>().WithMany().HasForeignKey(r => r.BatchId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.ProviderId, r.ExternalId }).IsUnique();
        builder.HasIndex(r => new { r.ProviderId, r.StartedAt });
        builder.HasIndex(r => new { r.JobName, r.StartedAt });
        // The duration spread reads one job's runs in a period ordered by duration: this index answers it without the table.
        builder.HasIndex(r => new { r.ProviderId, r.Project, r.JobName, r.StartedAt, r.DurationSeconds, r.Status });
        builder.HasIndex(r => r.StartedAt);
        builder.HasIndex(r => r.BatchId);
    }
}

internal sealed class CiUsageMonthConfiguration : IEntityTypeConfiguration<CiUsageMonth>
{
    public void Configure(EntityTypeBuilder<CiUsageMonth> builder)
    {
        builder.Property(m => m.Project).HasMaxLength(200);
        builder.Property(m => m.JobName).HasMaxLength(200);
        builder.Property(m => m.Currency).HasMaxLength(3);
        builder.Property(m => m.RawMinutes).HasPrecision(20, 4);
        builder.Property(m => m.QuotaMinutes).HasPrecision(20, 4);
        builder.Property(m => m.Credits).HasPrecision(20, 4);
        builder.HasOne<CiProvider>().WithMany().HasForeignKey(m => m.ProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.ProviderId, m.Month, m.Project, m.JobName, m.Status, m.IsRetry, m.Currency }).IsUnique();
        builder.HasIndex(m => m.Month);
    }
}

internal sealed class ImportBatchConfiguration : IEntityTypeConfiguration<ImportBatch>
{
    public void Configure(EntityTypeBuilder<ImportBatch> builder)
    {
        builder.Property(b => b.FileName).HasMaxLength(260);
        builder.Property(b => b.FileSha256).HasMaxLength(64);
        builder.Property(b => b.FailureReason).HasMaxLength(1000);
        // A file is imported once while its batch stands; after a rollback or a failure the same file may be imported again.
        builder.HasIndex(b => b.FileSha256).IsUnique().HasFilter("\"Status\" IN ('Running', 'Completed')");
        builder.HasOne<CiProvider>().WithMany().HasForeignKey(b => b.ProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(b => b.Rejections).WithOne().HasForeignKey(r => r.BatchId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ImportRejectionConfiguration : IEntityTypeConfiguration<ImportRejection>
{
    public void Configure(EntityTypeBuilder<ImportRejection> builder) => builder.Property(r => r.Reason).HasMaxLength(1000);
}

internal sealed class CreditPoolConfiguration : IEntityTypeConfiguration<CreditPool>
{
    public void Configure(EntityTypeBuilder<CreditPool> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.HasOne<CiProvider>().WithMany().HasForeignKey(p => p.ProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Pledge>().WithMany().HasForeignKey(p => p.PledgeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BudgetConfiguration : IEntityTypeConfiguration<Budget>
{
    public void Configure(EntityTypeBuilder<Budget> builder)
    {
        builder.Property(b => b.Currency).HasMaxLength(3);
        builder.HasOne<CiProvider>().WithMany().HasForeignKey(b => b.ProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Fund>().WithMany().HasForeignKey(b => b.FundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(b => new { b.ProviderId, b.Month });
    }
}

internal sealed class CiJobTimeoutConfiguration : IEntityTypeConfiguration<CiJobTimeout>
{
    public void Configure(EntityTypeBuilder<CiJobTimeout> builder)
    {
        builder.Property(t => t.Project).HasMaxLength(200);
        builder.Property(t => t.JobName).HasMaxLength(200);
        builder.HasOne<CiProvider>().WithMany().HasForeignKey(t => t.ProviderId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => new { t.ProviderId, t.Project, t.JobName }).IsUnique();
    }
}

internal sealed class StripeEventConfiguration : IEntityTypeConfiguration<StripeEvent>
{
    public void Configure(EntityTypeBuilder<StripeEvent> builder)
    {
        builder.Property(e => e.Id).HasMaxLength(255);
        builder.Property(e => e.Type).HasMaxLength(100);
        builder.Property(e => e.Payload).HasColumnType("text");
        builder.Property(e => e.LastError).HasMaxLength(2000);
        builder.HasIndex(e => e.ProcessedAt);
    }
}
