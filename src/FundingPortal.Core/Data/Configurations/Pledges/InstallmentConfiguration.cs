namespace FundingPortal.Core.Data.Configurations;

internal sealed class InstallmentConfiguration : IEntityTypeConfiguration<Installment>
{
    public void Configure(EntityTypeBuilder<Installment> builder)
    {
        builder.Property(i => i.Currency).HasMaxLength(3);
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.Property(i => i.FollowUpNote).HasMaxLength(Installment.NoteMaxLength);
        builder.Property(i => i.ForgivenReason).HasMaxLength(Installment.NoteMaxLength);
        builder.HasIndex(i => new { i.PledgeId, i.Sequence }).IsUnique();
        builder.HasIndex(i => new { i.Status, i.DueDate });
        // The honoured rate reads the months before this one from HonouredMonths and this month's installments from this index alone.
        builder.HasIndex(i => new { i.DueDate, i.Status, i.PledgeId, i.HoursDueMinutes, i.HoursDeliveredMinutes, i.AmountDueMinor, i.AmountReceivedMinor });
        // Keep InstallmentTotals and HonouredMonths (ADR 0009; created in the migrations of each provider).
        builder.ToTable(t => t.HasTrigger("Installments_RollUp"));
        builder.Ignore(i => i.Period);
        builder.Ignore(i => i.DueUnits);
        builder.Ignore(i => i.DeliveredUnits);
        builder.Ignore(i => i.OutstandingUnits);
        builder.Ignore(i => i.IsOpen);
    }
}
