namespace FundingPortal.Core.Data.Configurations;

internal sealed class TimeEntryConfiguration : IEntityTypeConfiguration<TimeEntry>
{
    public void Configure(EntityTypeBuilder<TimeEntry> builder)
    {
        builder.Property(t => t.Engineer).HasMaxLength(TimeEntry.EngineerMaxLength);
        builder.Property(t => t.Description).HasMaxLength(TimeEntry.DescriptionMaxLength);
        builder.Property(t => t.RejectionReason).HasMaxLength(2000);
        // Optional on DeliveredInKind, as the InKindDeliveries column always was; the TimeEntries column is and stays NOT NULL.
        builder.Property(t => t.RecordedByUserId).IsRequired();
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasOne<Pledge>().WithMany().HasForeignKey(t => t.PledgeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Installment>().WithMany().HasForeignKey(t => t.InstallmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(t => new { t.PledgeId, t.Status });
        builder.Ignore(t => t.Hours);
        // Keeps TimeTotals (ADR 0009; created in the migrations of each provider).
        builder.ToTable(t => t.HasTrigger("TimeEntries_RollUp"));
    }
}
