package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// significant are the resource types docs/architecture.md must draw when the
// stack has them; helpers (roles, permissions, policies, integrations,
// routes, cache policies) are left out of the drawing.
var significant = []string{
	"AWS::CloudFront::Distribution", "AWS::CloudFront::Function", "AWS::S3::Bucket",
	"AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Authorizer", "AWS::Lambda::Function",
	"AWS::Logs::LogGroup", "AWS::DynamoDB::Table", "AWS::CloudWatch::Alarm",
	"AWS::CloudWatch::Dashboard", "AWS::SNS::Topic",
	"AWS::StepFunctions::StateMachine", "AWS::Scheduler::Schedule", "AWS::Events::Rule",
	"AWS::ApplicationAutoScaling::ScalableTarget",
}

// TestArchitectureDiagramMatchesTheStack checks the Mermaid drawing against
// the synthesized template both ways: a solid node names a resource type the
// stack has; a node marked :::planned names one it does not have yet; and
// every significant type of the stack is drawn.
func TestArchitectureDiagramMatchesTheStack(t *testing.T) {
	s := synth(t, "prod")
	doc, err := os.ReadFile(filepath.Join("..", "docs", "architecture.md"))
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)```mermaid\n(.*?)```").FindSubmatch(doc)
	require.NotNil(t, m, "docs/architecture.md has a mermaid block")

	inStack := map[string]bool{}
	for _, r := range s.json["Resources"].(map[string]any) {
		inStack[r.(map[string]any)["Type"].(string)] = true
	}
	typeRe := regexp.MustCompile(`AWS::\w+::\w+`)
	drawn := map[string]bool{}
	for _, line := range strings.Split(string(m[1]), "\n") {
		for _, typ := range typeRe.FindAllString(line, -1) {
			drawn[typ] = true
			if strings.Contains(line, ":::planned") {
				assert.False(t, inStack[typ], "%s is drawn as planned but the stack has it: draw it solid", typ)
			} else {
				assert.True(t, inStack[typ], "%s is drawn but the stack has none", typ)
			}
		}
	}
	for _, typ := range significant {
		if inStack[typ] {
			assert.True(t, drawn[typ], "the stack has %s but docs/architecture.md does not draw it", typ)
		}
	}
}
