using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace FundingPortal.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PledgeFulfilment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "RejectionReason",
                table: "TimeEntries",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LoggedAt",
                table: "TimeEntries",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "TimeEntries",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AlterColumn<string>(
                name: "EngineerName",
                table: "Pledges",
                type: "character varying(120)",
                maxLength: 120,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CancelReason",
                table: "Pledges",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "CancelledAt",
                table: "Pledges",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CancelledByUserId",
                table: "Pledges",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PausedAt",
                table: "Pledges",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SettledAt",
                table: "Pledges",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ForgivenAt",
                table: "Installments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ForgivenByUserId",
                table: "Installments",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "PeriodEnd",
                table: "Installments",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<DateOnly>(
                name: "PeriodStart",
                table: "Installments",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AlterColumn<string>(
                name: "Description",
                table: "InKindDeliveries",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AddColumn<string>(
                name: "RecordedByUserId",
                table: "InKindDeliveries",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RejectionReason",
                table: "InKindDeliveries",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReviewedAt",
                table: "InKindDeliveries",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "InKindDeliveries",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AlterColumn<string>(
                name: "RejectionReason",
                table: "Expenses",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PaidByUserId",
                table: "Expenses",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RejectedByUserId",
                table: "Expenses",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReviewedAt",
                table: "Expenses",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "InstallmentReminders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    InstallmentId = table.Column<int>(type: "integer", nullable: false),
                    Stage = table.Column<int>(type: "integer", nullable: false),
                    SentTo = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InstallmentReminders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InstallmentReminders_Installments_InstallmentId",
                        column: x => x.InstallmentId,
                        principalTable: "Installments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_InstallmentReminders_InstallmentId_Stage",
                table: "InstallmentReminders",
                columns: new[] { "InstallmentId", "Stage" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InstallmentReminders");

            migrationBuilder.DropColumn(
                name: "LoggedAt",
                table: "TimeEntries");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "TimeEntries");

            migrationBuilder.DropColumn(
                name: "CancelReason",
                table: "Pledges");

            migrationBuilder.DropColumn(
                name: "CancelledAt",
                table: "Pledges");

            migrationBuilder.DropColumn(
                name: "CancelledByUserId",
                table: "Pledges");

            migrationBuilder.DropColumn(
                name: "PausedAt",
                table: "Pledges");

            migrationBuilder.DropColumn(
                name: "SettledAt",
                table: "Pledges");

            migrationBuilder.DropColumn(
                name: "ForgivenAt",
                table: "Installments");

            migrationBuilder.DropColumn(
                name: "ForgivenByUserId",
                table: "Installments");

            migrationBuilder.DropColumn(
                name: "PeriodEnd",
                table: "Installments");

            migrationBuilder.DropColumn(
                name: "PeriodStart",
                table: "Installments");

            migrationBuilder.DropColumn(
                name: "RecordedByUserId",
                table: "InKindDeliveries");

            migrationBuilder.DropColumn(
                name: "RejectionReason",
                table: "InKindDeliveries");

            migrationBuilder.DropColumn(
                name: "ReviewedAt",
                table: "InKindDeliveries");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "InKindDeliveries");

            migrationBuilder.DropColumn(
                name: "PaidByUserId",
                table: "Expenses");

            migrationBuilder.DropColumn(
                name: "RejectedByUserId",
                table: "Expenses");

            migrationBuilder.DropColumn(
                name: "ReviewedAt",
                table: "Expenses");

            migrationBuilder.AlterColumn<string>(
                name: "RejectionReason",
                table: "TimeEntries",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(2000)",
                oldMaxLength: 2000,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "EngineerName",
                table: "Pledges",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(120)",
                oldMaxLength: 120,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Description",
                table: "InKindDeliveries",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(2000)",
                oldMaxLength: 2000);

            migrationBuilder.AlterColumn<string>(
                name: "RejectionReason",
                table: "Expenses",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(2000)",
                oldMaxLength: 2000,
                oldNullable: true);
        }
    }
}
