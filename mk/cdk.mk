# --- AWS stack (cdk/) and the Lambda runtime emulator (tests/lambda/) -----------
#
# make synth                     dev stack into cdk.out, offline
# make synth CDK_ENV=prod GOOGLE_CLIENT_ID=<id>.apps.googleusercontent.com STRIPE_PUBLISHABLE_KEY=pk_…
# make deploy GOOGLE_CLIENT_ID=<id>.apps.googleusercontent.com [CDK_ENV=prod]
# make test-lambda               every bootstrap under the Lambda RIE

CDK_ENV          ?= dev
CDK              := npx --no-install cdk
# synth needs an audience for the JWT authorizer but no real one; deploy
# refuses this placeholder.
CDK_PLACEHOLDER_CLIENT_ID := synth-placeholder.apps.googleusercontent.com
GOOGLE_CLIENT_ID ?=
CDK_CONTEXT       = -c bilhetagem:env=$(CDK_ENV) -c bilhetagem:googleClientId=$(or $(GOOGLE_CLIENT_ID),$(CDK_PLACEHOLDER_CLIENT_ID)) \
                    $(if $(ALARM_EMAIL),-c bilhetagem:alarmEmail=$(ALARM_EMAIL)) \
                    $(if $(STRIPE_PUBLISHABLE_KEY),-c bilhetagem:stripePublishableKey=$(STRIPE_PUBLISHABLE_KEY))
CDK_FLAGS        := --no-notices --no-version-reporting
CDK_STACK         = Bilhetagem-$(CDK_ENV)

RIE_VERSION := v0.0.0-20261030222936-bef5c4ba774d
TOOLS       := $(CURDIR)/$(BIN)/tools
RIE         := $(TOOLS)/aws-lambda-rie

TEST_TARGETS  += synth test-lambda
BENCH_TARGETS += bench-lambda

.PHONY: synth
synth: build node_modules/.install-stamp ## synthesize the AWS stack into cdk.out, offline (CDK_ENV=dev|prod)
	@start=$$(date +%s); \
	$(CDK) synth $(CDK_FLAGS) $(CDK_CONTEXT) --quiet; \
	echo "synth: cdk.out/$(CDK_STACK).template.json in $$(( $$(date +%s) - start )) s"

.PHONY: deploy
deploy: build node_modules/.install-stamp ## deploy the stack with the npm aws-cdk CLI: GOOGLE_CLIENT_ID=... [CDK_ENV=prod] [ALARM_EMAIL=...]
	@if [ -z "$(GOOGLE_CLIENT_ID)" ]; then echo "deploy: set GOOGLE_CLIENT_ID to the Google OAuth client id of this environment"; exit 2; fi
	$(CDK) deploy $(CDK_FLAGS) $(CDK_CONTEXT) --require-approval broadening $(CDK_STACK)

.PHONY: diff
diff: build node_modules/.install-stamp ## show what `make deploy` would change (needs AWS credentials)
	$(CDK) diff $(CDK_FLAGS) $(CDK_CONTEXT) $(CDK_STACK)

.PHONY: destroy
destroy: node_modules/.install-stamp ## delete the stack (retained resources stay; see the README's teardown)
	$(CDK) destroy $(CDK_FLAGS) $(CDK_CONTEXT) $(CDK_STACK)

.PHONY: test-cdk
test-cdk: ## the CDK assertions and cdk-nag checks (also part of test-go)
	$(GO) test -count=1 ./cdk/...

$(RIE):
	GOBIN=$(TOOLS) $(GO) install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$(RIE_VERSION)

.PHONY: rie
rie: $(RIE)

.PHONY: test-lambda
test-lambda: $(RIE) node_modules/.install-stamp ## run every function's bootstrap under the Lambda Runtime Interface Emulator with API Gateway v2 events
	BILHETAGEM_RIE=$(RIE) $(GO) test -count=1 -v -run 'TestFunctionsUnderTheRuntimeEmulator|TestMissingEmulatorFails|TestEventFixtures' ./tests/lambda/

.PHONY: bench-lambda
bench-lambda: $(RIE) node_modules/.install-stamp ## binary size and init time of every function under the emulator, beside a hello-world Lambda
	BILHETAGEM_RIE=$(RIE) $(GO) test -count=1 -run '^$$' -bench 'BenchmarkColdStart' -benchtime 3x ./tests/lambda/
