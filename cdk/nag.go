package main

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"bilhetagem/internal/operations"
)

// suppress records every cdk-nag AwsSolutions finding the stack accepts, each
// with the reason a reviewer gets to read, on the narrowest construct that
// raises it. A new finding fails TestCdkNagAwsSolutionsHasNoUnsuppressedFindings.
func suppress(s *Stack) {
	for _, f := range s.Api.Functions {
		// Tracing: Active adds xray:PutTraceSegments and
		// xray:PutTelemetryRecords on "*" to the role's default policy.
		if policy := f.Fn.Role().Node().TryFindChild(jsii.String("DefaultPolicy")); policy != nil {
			nag(policy, "AwsSolutions-IAM5",
				"X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions "+
					"(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html); "+
					"the statement holds only those two actions, added by Tracing: ACTIVE. Table and log access name their resources.",
				"Resource::*")
		}
		switch f.Op.Auth {
		case operations.Public:
			nag(f.Route, "AwsSolutions-APIG4",
				f.Op.ID+" is public by contract (openapi.yaml: no security): the catalog and the health check are read by "+
					"anonymous buyers. The stage throttle bounds it.")
		case operations.Signed:
			nag(f.Route, "AwsSolutions-APIG4",
				f.Op.ID+" is called by the payment provider, which cannot present our JWT; the contract requires its "+
					"X-Signature header (HMAC-SHA256 of the raw body with the shared webhook secret), which the function "+
					"checks before acting on the event.")
		}
	}
	wf := s.Workflow
	if policy := wf.Worker.Role().Node().TryFindChild(jsii.String("DefaultPolicy")); policy != nil {
		nag(policy, "AwsSolutions-IAM5",
			"X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions; the statement holds "+
				"only those two actions, added by Tracing: ACTIVE on the step worker. Table and log access name their resources.",
			"Resource::*")
	}
	if policy := wf.StateMachine.Role().Node().TryFindChild(jsii.String("DefaultPolicy")); policy != nil {
		nag(policy, "AwsSolutions-IAM5",
			"Step Functions' logging to CloudWatch Logs needs logs:*LogDelivery, ListLogDeliveries, PutResourcePolicy, "+
				"DescribeResourcePolicies and DescribeLogGroups on \"*\" (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html), "+
				"and X-Ray tracing needs PutTraceSegments, PutTelemetryRecords and GetSampling* on \"*\"; none supports "+
				"resource-level permissions. The only other statement invokes the step worker by its exact ARN.",
			"Resource::*")
	}
	dist := s.Web.Distribution
	nag(dist, "AwsSolutions-CFR1",
		"No geo restriction on purpose: buyers plan trips to São Paulo from abroad, and a country allow-list would not "+
			"stop scalpers' bots, which use Brazilian addresses. Abuse is handled by throttling and the waiting room.")
	nag(dist, "AwsSolutions-CFR2",
		"A CLOUDFRONT-scope WAF web ACL can only be created in us-east-1, and this stack lives in sa-east-1; it belongs "+
			"in a separate us-east-1 stack (follow-up, see docs/adr/0101). Until then the HTTP API stage throttle bounds the API.")
	nag(dist, "AwsSolutions-CFR4",
		"The distribution has no custom domain yet, so it serves the default *.cloudfront.net certificate, for which "+
			"CloudFront fixes the minimum protocol at TLSv1. With the chain's domain and an ACM certificate, set "+
			"MinimumProtocolVersion TLSv1.2_2021.")
}

func nag(c constructs.IConstruct, id, reason string, appliesTo ...string) {
	sup := &cdknag.NagPackSuppression{Id: jsii.String(id), Reason: jsii.String(reason)}
	if len(appliesTo) > 0 {
		list := make([]any, len(appliesTo))
		for i, a := range appliesTo {
			list[i] = a
		}
		sup.AppliesTo = &list
	}
	cdknag.NagSuppressions_AddResourceSuppressions(c, &[]*cdknag.NagPackSuppression{sup}, jsii.Bool(true))
}
