package autoscaling

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/scaling"
)

// CloudWatchAPI is the part of the CloudWatch client the window alarms use
// (*cloudwatch.Client implements it).
type CloudWatchAPI interface {
	DescribeAlarms(ctx context.Context, in *cloudwatch.DescribeAlarmsInput, opts ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error)
	PutMetricAlarm(ctx context.Context, in *cloudwatch.PutMetricAlarmInput, opts ...func(*cloudwatch.Options)) (*cloudwatch.PutMetricAlarmOutput, error)
	DeleteAlarms(ctx context.Context, in *cloudwatch.DeleteAlarmsInput, opts ...func(*cloudwatch.Options)) (*cloudwatch.DeleteAlarmsOutput, error)
}

// Window alarm suffixes: one alarm per threshold of scaling.Alarms.
const (
	ErrorsAlarm    = "errors"
	P99Alarm       = "p99"
	ThrottlesAlarm = "throttles"
)

// AlarmMinutes is how many one-minute periods in a row breach before a
// window alarm fires.
const AlarmMinutes = 3

// maxThrottleFunctions keeps the throttles alarm within CloudWatch's ten
// metrics per alarm: the table's two plus one per hot function.
const maxThrottleFunctions = 8

// WindowAlarms keeps the planner's own CloudWatch alarms in line with the
// windows under way (scaling.WindowAlarms): three alarms per window, named
// Prefix + window id + "-errors" | "-p99" | "-throttles", at the window's
// thresholds, sending to the stack's alarm topic. Alarms whose window has
// passed or left the plan are deleted. Alarms whose names do not start with
// Prefix (the stack's own, anyone else's) are never read, put or deleted.
type WindowAlarms struct {
	Client CloudWatchAPI
	// Prefix starts the name of every alarm the planner owns, e.g.
	// "bilhetagem-dev-premiere-". It must not be empty.
	Prefix string
	// TopicARN is the stack's alarm topic: the alarms' and OK actions.
	TopicARN string
	// ApiID is the HTTP API whose 5xx rate and p99 latency are watched.
	ApiID string
	// Table is the table whose throttled reads and writes are counted.
	Table string
	// Functions are the hot functions whose throttles are counted.
	Functions []string
}

var _ scaling.WindowAlarms = (*WindowAlarms)(nil)

// Apply puts the alarms of windows that are new or whose thresholds (or
// span, or metrics) changed, leaves the others as they are and deletes the
// planner's alarms of every window not given.
func (a *WindowAlarms) Apply(ctx context.Context, windows []scaling.Window, _ time.Time) (scaling.Applied, error) {
	if err := a.check(); err != nil {
		return scaling.Applied{}, err
	}
	var want []*cloudwatch.PutMetricAlarmInput
	for _, w := range windows {
		want = append(want, a.alarms(w)...)
	}
	have, err := a.owned(ctx)
	if err != nil {
		return scaling.Applied{}, err
	}
	var res scaling.Applied
	for _, in := range want {
		if h, ok := have[aws.ToString(in.AlarmName)]; ok && same(h, in) {
			res.Unchanged++
			continue
		}
		if _, err := a.Client.PutMetricAlarm(ctx, in); err != nil {
			return res, fmt.Errorf("put alarm %s: %w", aws.ToString(in.AlarmName), err)
		}
		res.Put++
	}
	var stale []string
	for name := range have {
		if !slices.ContainsFunc(want, func(in *cloudwatch.PutMetricAlarmInput) bool { return aws.ToString(in.AlarmName) == name }) {
			stale = append(stale, name)
		}
	}
	sort.Strings(stale)
	for batch := range slices.Chunk(stale, 100) { // DeleteAlarms takes at most 100 names
		if _, err := a.Client.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: batch}); err != nil {
			return res, fmt.Errorf("delete alarms %s: %w", strings.Join(batch, ", "), err)
		}
		res.Deleted += len(batch)
	}
	return res, nil
}

func (a *WindowAlarms) check() error {
	var missing []string
	for name, v := range map[string]string{"Prefix": a.Prefix, "TopicARN": a.TopicARN, "ApiID": a.ApiID, "Table": a.Table} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		return errors.New("window alarms: missing " + strings.Join(missing, ", "))
	}
	if len(a.Functions) > maxThrottleFunctions {
		return fmt.Errorf("window alarms: at most %d functions fit one throttles alarm, got %d", maxThrottleFunctions, len(a.Functions))
	}
	return nil
}

// AlarmName is the name of a window's alarm of a kind.
func (a *WindowAlarms) AlarmName(windowID, kind string) string {
	return a.Prefix + windowID + "-" + kind
}

// alarms are the three alarms of a window.
func (a *WindowAlarms) alarms(w scaling.Window) []*cloudwatch.PutMetricAlarmInput {
	minute := aws.Int32(60)
	api := []cwtypes.Dimension{{Name: aws.String("ApiId"), Value: aws.String(a.ApiID)}}
	stat := func(id, namespace, metric string, dims []cwtypes.Dimension) cwtypes.MetricDataQuery {
		return cwtypes.MetricDataQuery{Id: aws.String(id), ReturnData: aws.Bool(false), MetricStat: &cwtypes.MetricStat{
			Metric: &cwtypes.Metric{Namespace: aws.String(namespace), MetricName: aws.String(metric), Dimensions: dims},
			Period: minute, Stat: aws.String("Sum")}}
	}
	errorsIn := a.base(w, ErrorsAlarm, w.Alarms.ErrorRatePercent,
		fmt.Sprintf("more than %g%% of API requests answered 5xx", w.Alarms.ErrorRatePercent))
	errorsIn.Metrics = []cwtypes.MetricDataQuery{
		{Id: aws.String("rate"), Label: aws.String("API 5xx %"), ReturnData: aws.Bool(true),
			Expression: aws.String("IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)")},
		stat("errors", "AWS/ApiGateway", "5xx", api),
		stat("requests", "AWS/ApiGateway", "Count", api),
	}
	p99 := a.base(w, P99Alarm, float64(w.Alarms.P99LatencyMs), fmt.Sprintf("API p99 latency above %d ms", w.Alarms.P99LatencyMs))
	p99.Namespace, p99.MetricName, p99.Dimensions = aws.String("AWS/ApiGateway"), aws.String("Latency"), api
	p99.ExtendedStatistic, p99.Period = aws.String("p99"), minute
	throttles := a.base(w, ThrottlesAlarm, float64(w.Alarms.ThrottledPerMinute),
		fmt.Sprintf("more than %d throttled requests a minute (the table's reads and writes, the hot functions)", w.Alarms.ThrottledPerMinute))
	table := []cwtypes.Dimension{{Name: aws.String("TableName"), Value: aws.String(a.Table)}}
	throttles.Metrics = []cwtypes.MetricDataQuery{
		{Id: aws.String("throttled"), Label: aws.String("throttled requests"), ReturnData: aws.Bool(true), Expression: aws.String("SUM(METRICS())")},
		stat("reads", "AWS/DynamoDB", "ReadThrottleEvents", table),
		stat("writes", "AWS/DynamoDB", "WriteThrottleEvents", table),
	}
	for i, fn := range a.Functions {
		throttles.Metrics = append(throttles.Metrics, stat(fmt.Sprintf("fn%d", i), "AWS/Lambda", "Throttles",
			[]cwtypes.Dimension{{Name: aws.String("FunctionName"), Value: aws.String(fn)}}))
	}
	out := []*cloudwatch.PutMetricAlarmInput{errorsIn, p99, throttles}
	for _, in := range out {
		in.AlarmDescription = aws.String(aws.ToString(in.AlarmDescription) + " spec " + fingerprint(in))
	}
	return out
}

// base is an alarm's fields common to the three: name, threshold, periods,
// actions and a description that names the window and its span.
func (a *WindowAlarms) base(w scaling.Window, kind string, threshold float64, what string) *cloudwatch.PutMetricAlarmInput {
	span := w.StartsAt.In(catalog.Zone).Format("2006-01-02 15:04") + " to " + w.EndsAt.In(catalog.Zone).Format("2006-01-02 15:04")
	desc := fmt.Sprintf("Scaling plan window %s (%s, %s, %s São Paulo): %s for %d minutes in a row. "+
		"Put by the scaling planner for the window's span and deleted after it (docs/adr/0404).",
		w.ID, w.Reason, w.Class, span, what, AlarmMinutes)
	return &cloudwatch.PutMetricAlarmInput{
		AlarmName:          aws.String(a.AlarmName(w.ID, kind)),
		AlarmDescription:   aws.String(desc),
		ActionsEnabled:     aws.Bool(true),
		AlarmActions:       []string{a.TopicARN},
		OKActions:          []string{a.TopicARN},
		ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
		Threshold:          aws.Float64(threshold),
		EvaluationPeriods:  aws.Int32(AlarmMinutes),
		DatapointsToAlarm:  aws.Int32(AlarmMinutes),
		TreatMissingData:   aws.String("notBreaching"),
	}
}

// fingerprint is a short hash of everything an alarm is put with but its
// description, which carries it: DescribeAlarms' echo of the metrics need
// not be compared field by field.
func fingerprint(in *cloudwatch.PutMetricAlarmInput) string {
	c := *in
	c.AlarmDescription = nil
	raw, _ := json.Marshal(&c)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:6])
}

// same reports whether an existing alarm is already the one to put: the
// description (which holds the window, its span, the thresholds' words and
// the fingerprint of the metrics), the threshold, the periods and the
// actions. A threshold changed by hand is put back.
func same(h cwtypes.MetricAlarm, in *cloudwatch.PutMetricAlarmInput) bool {
	return aws.ToString(h.AlarmDescription) == aws.ToString(in.AlarmDescription) &&
		aws.ToFloat64(h.Threshold) == aws.ToFloat64(in.Threshold) &&
		h.ComparisonOperator == in.ComparisonOperator &&
		aws.ToInt32(h.EvaluationPeriods) == aws.ToInt32(in.EvaluationPeriods) &&
		aws.ToInt32(h.DatapointsToAlarm) == aws.ToInt32(in.DatapointsToAlarm) &&
		aws.ToString(h.TreatMissingData) == aws.ToString(in.TreatMissingData) &&
		aws.ToBool(h.ActionsEnabled) &&
		slices.Equal(h.AlarmActions, in.AlarmActions) && slices.Equal(h.OKActions, in.OKActions)
}

// owned are the planner's metric alarms, by name: those CloudWatch lists
// under the prefix, checked again against it.
func (a *WindowAlarms) owned(ctx context.Context) (map[string]cwtypes.MetricAlarm, error) {
	out := map[string]cwtypes.MetricAlarm{}
	var token *string
	for {
		page, err := a.Client.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{
			AlarmNamePrefix: aws.String(a.Prefix), AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm},
			MaxRecords: aws.Int32(100), NextToken: token,
		})
		if err != nil {
			return nil, fmt.Errorf("describe alarms %s*: %w", a.Prefix, err)
		}
		for _, m := range page.MetricAlarms {
			if name := aws.ToString(m.AlarmName); strings.HasPrefix(name, a.Prefix) {
				out[name] = m
			}
		}
		if token = page.NextToken; token == nil {
			return out, nil
		}
	}
}
