namespace FundingPortal.Core.Data.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.Property(a => a.Action).HasMaxLength(80);
        builder.Property(a => a.EntityType).HasMaxLength(80);
        builder.Property(a => a.EntityId).HasMaxLength(80);
        builder.Property(a => a.Before).HasColumnType("text");
        builder.Property(a => a.After).HasColumnType("text");
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.EntityType, a.EntityId });
        builder.HasIndex(a => a.OrganisationId);
    }
}
