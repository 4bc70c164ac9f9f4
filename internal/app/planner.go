package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"bilhetagem/internal/autoscaling"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/scaling"
)

// PlannerConfig configures the scaling planner Lambda.
type PlannerConfig struct {
	// Targets are the hot operations' scalable targets (SCALING_TARGETS:
	// a JSON object from operationId to "function:<name>:<alias>"); every
	// hot operation of the plan must have one.
	Targets []autoscaling.Target
	// Days is how far ahead the scheduled actions reach (PLAN_DAYS, 1..60,
	// default 14).
	Days int
	// AlarmPrefix starts the name of every alarm the planner owns
	// (ALARM_PREFIX, e.g. "bilhetagem-dev-premiere-"); it may not touch
	// any other.
	AlarmPrefix string
	// AlarmTopic is the stack's alarm topic (ALARM_TOPIC_ARN).
	AlarmTopic string
	// ApiID is the HTTP API the window alarms watch (API_ID).
	ApiID string
}

// Functions are the hot functions' names, from their targets.
func (c PlannerConfig) Functions() []string {
	var out []string
	for _, t := range c.Targets {
		out = append(out, strings.Split(t.ResourceID, ":")[1])
	}
	return out
}

// PlannerConfigFrom reads and validates the planner's configuration.
func PlannerConfigFrom(getenv func(string) string) (PlannerConfig, error) {
	c := PlannerConfig{Days: 14}
	raw := getenv("SCALING_TARGETS")
	if raw == "" {
		return PlannerConfig{}, fmt.Errorf("config: SCALING_TARGETS is required")
	}
	var byOp map[string]string
	if err := json.Unmarshal([]byte(raw), &byOp); err != nil {
		return PlannerConfig{}, fmt.Errorf("config: SCALING_TARGETS must be a JSON object of operationId to resource id: %w", err)
	}
	for _, op := range scaling.HotOperations {
		id, ok := byOp[op]
		if !ok || !strings.HasPrefix(id, "function:") || strings.Count(id, ":") != 2 {
			return PlannerConfig{}, fmt.Errorf("config: SCALING_TARGETS needs %s as \"function:<name>:<alias>\", got %q", op, id)
		}
		c.Targets = append(c.Targets, autoscaling.Target{Operation: op, ResourceID: id})
	}
	for op := range byOp {
		if !slices.Contains(scaling.HotOperations, op) {
			return PlannerConfig{}, fmt.Errorf("config: SCALING_TARGETS names %s, which is not a hot operation", op)
		}
	}
	if v := getenv("PLAN_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 60 {
			return PlannerConfig{}, fmt.Errorf("config: PLAN_DAYS must be 1..60, got %q", v)
		}
		c.Days = n
	}
	c.AlarmPrefix, c.AlarmTopic, c.ApiID = getenv("ALARM_PREFIX"), getenv("ALARM_TOPIC_ARN"), getenv("API_ID")
	if len(c.AlarmPrefix) < 3 || !strings.HasSuffix(c.AlarmPrefix, "-") {
		return PlannerConfig{}, fmt.Errorf("config: ALARM_PREFIX must name the planner's alarms and end in \"-\", got %q", c.AlarmPrefix)
	}
	if !strings.HasPrefix(c.AlarmTopic, "arn:") || !strings.Contains(c.AlarmTopic, ":sns:") {
		return PlannerConfig{}, fmt.Errorf("config: ALARM_TOPIC_ARN must be an SNS topic ARN, got %q", c.AlarmTopic)
	}
	if c.ApiID == "" {
		return PlannerConfig{}, fmt.Errorf("config: API_ID is required")
	}
	return c, nil
}

// PlannerClients are the AWS clients the planner applies the plan through;
// tests pass fakes.
type PlannerClients struct {
	AutoScaling autoscaling.API           // scheduled provisioned concurrency
	Table       autoscaling.TableAPI      // the table's warm throughput
	CloudWatch  autoscaling.CloudWatchAPI // the windows' alarms
}

// NewPlanner builds the scheduled planner run on a store, the table's name
// and the AWS clients.
func NewPlanner(store *dynamo.Store, table string, clients PlannerClients, cfg PlannerConfig, premiere PremiereConfig, log *slog.Logger) (*scaling.Planner, error) {
	if clients.AutoScaling == nil || clients.Table == nil || clients.CloudWatch == nil {
		return nil, fmt.Errorf("planner: Application Auto Scaling, DynamoDB and CloudWatch clients are required")
	}
	if table == "" {
		return nil, fmt.Errorf("planner: the table's name is required")
	}
	_, sc, wr, err := Premiere(store, premiere, log)
	if err != nil {
		return nil, fmt.Errorf("planner: %w", err)
	}
	return &scaling.Planner{Plans: sc, Capacity: &autoscaling.Applier{Client: clients.AutoScaling, Targets: cfg.Targets},
		Warmth: &autoscaling.TableWarmer{Client: clients.Table, Table: table},
		Alarms: &autoscaling.WindowAlarms{Client: clients.CloudWatch, Prefix: cfg.AlarmPrefix, TopicARN: cfg.AlarmTopic,
			ApiID: cfg.ApiID, Table: table, Functions: cfg.Functions()},
		WaitingRoom: wr, Days: cfg.Days}, nil
}

// StartPlanner is the whole main of the scaling planner Lambda, which an
// EventBridge schedule invokes: it plans from the catalog, the classes and
// the overrides, puts the provisioned concurrency steps as Application Auto
// Scaling scheduled actions, raises the table's warm throughput ahead of the
// windows that need it, keeps each window's alarms at its thresholds and
// switches the waiting room (docs/adr/0404).
func StartPlanner(getenv func(string) string) {
	cfg, err := ConfigFrom(getenv)
	if err != nil {
		slog.Error("bad configuration", "error", err.Error())
		os.Exit(1)
	}
	pcfg, err := PlannerConfigFrom(getenv)
	if err != nil {
		slog.Error("bad configuration", "error", err.Error())
		os.Exit(1)
	}
	log := NewLogger(cfg.LogLevel)
	now := cfg.Clock()
	ctx := context.Background()
	store, err := dynamo.Open(ctx, cfg.storeConfig())
	if err != nil {
		log.Error("init failed", "error", err.Error())
		os.Exit(1)
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(cfg.Region))
	if err != nil {
		log.Error("init failed", "error", err.Error())
		os.Exit(1)
	}
	p, err := NewPlanner(store, cfg.Table, PlannerClients{AutoScaling: aas.NewFromConfig(awsCfg), Table: dynamodb.NewFromConfig(awsCfg),
		CloudWatch: cloudwatch.NewFromConfig(awsCfg)}, pcfg, cfg.Premiere, log)
	if err != nil {
		log.Error("init failed", "error", err.Error())
		os.Exit(1)
	}
	lambda.Start(func(ctx context.Context) error {
		run, err := p.Run(ctx, now())
		logWarm(log, run.Warm)
		if err != nil {
			log.Error("scaling plan not applied", "error", err.Error())
			return err
		}
		log.Info("scaling plan applied", "windows", len(run.Plan.Windows), "put", run.Applied.Put,
			"deleted", run.Applied.Deleted, "unchanged", run.Applied.Unchanged,
			"alarmsPut", run.Alarms.Put, "alarmsDeleted", run.Alarms.Deleted, "alarmsUnchanged", run.Alarms.Unchanged,
			"waitingRoom", string(run.WaitingRoom), "switched", run.Switched)
		return nil
	})
}

// logWarm says what the run did to the table's warm throughput, when a
// window needed it.
func logWarm(log *slog.Logger, w *scaling.WarmApplied) {
	if w == nil {
		return
	}
	attrs := []any{"wantRead", w.Want.Read, "wantWrite", w.Want.Write, "read", w.Before.Read, "write", w.Before.Write}
	switch {
	case w.Raised:
		log.Info("warm throughput raised", attrs...)
	case w.Deferred:
		log.Warn("warm throughput raise deferred: the table is being updated; the next run tries again", attrs...)
	}
}
